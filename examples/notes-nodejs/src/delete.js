import { DeleteCommand } from "@aws-sdk/lib-dynamodb";
import handler, { userId } from "./lib/handler.js";
import { client, tableName } from "./lib/dynamodb.js";

export const main = handler(async (event) => {
  await client.send(new DeleteCommand({
    TableName: tableName,
    Key: { userId: userId(event), noteId: event.pathParameters.id },
  }));
  return JSON.stringify({ status: true });
});
