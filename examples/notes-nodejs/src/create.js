import { randomUUID } from "node:crypto";
import { PutCommand } from "@aws-sdk/lib-dynamodb";
import handler, { userId } from "./lib/handler.js";
import { client, tableName } from "./lib/dynamodb.js";

export const main = handler(async (event) => {
  const data = JSON.parse(event.body || "{}");
  const item = {
    userId: userId(event),
    noteId: randomUUID(),
    content: data.content,
    attachment: data.attachment,
    createdAt: Date.now(),
  };
  await client.send(new PutCommand({ TableName: tableName, Item: item }));
  return JSON.stringify(item);
});
