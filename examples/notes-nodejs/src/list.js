import { QueryCommand } from "@aws-sdk/lib-dynamodb";
import handler, { userId } from "./lib/handler.js";
import { client, tableName } from "./lib/dynamodb.js";

export const main = handler(async (event) => {
  const result = await client.send(new QueryCommand({
    TableName: tableName,
    KeyConditionExpression: "userId = :userId",
    ExpressionAttributeValues: { ":userId": userId(event) },
  }));
  return JSON.stringify(result.Items);
});
