import { UpdateCommand } from "@aws-sdk/lib-dynamodb";
import handler, { userId } from "./lib/handler.js";
import { client, tableName } from "./lib/dynamodb.js";

export const main = handler(async (event) => {
  const data = JSON.parse(event.body || "{}");
  await client.send(new UpdateCommand({
    TableName: tableName,
    Key: { userId: userId(event), noteId: event.pathParameters.id },
    UpdateExpression: "SET content = :content, attachment = :attachment",
    ExpressionAttributeValues: { ":attachment": data.attachment || null, ":content": data.content || null },
    ConditionExpression: "attribute_exists(noteId)",
    ReturnValues: "ALL_NEW",
  }));
  return JSON.stringify({ status: true });
});
