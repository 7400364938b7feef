// One DocumentClient per worker: region, credentials (the function's execution role) and the endpoint
// (AWS_ENDPOINT_URL, Gatehouse) come from the environment Lambda sets.
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";

export const tableName = process.env.TABLE_NAME;
export const client = DynamoDBDocumentClient.from(new DynamoDBClient({}));
