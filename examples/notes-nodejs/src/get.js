import { GetCommand } from "@aws-sdk/lib-dynamodb";
import handler, { NotFound, userId } from "./lib/handler.js";
import { client, tableName } from "./lib/dynamodb.js";

export const main = handler(async (event) => {
  const result = await client.send(new GetCommand({
    TableName: tableName,
    Key: { userId: userId(event), noteId: event.pathParameters.id },
  }));
  if (!result.Item) {
    throw new NotFound("Item not found.");
  }
  return JSON.stringify(result.Item);
});
