package dev.gatehouse.tables;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * DynamoDB's exact error texts, as real DynamoDB sends them (the public conformance suite
 * nubo-db/dynamodb-conformance, tests/tier3/error-messages, asserts these strings against AWS).
 */
class ErrorMessagesTests {

    private static final String KEY = "'Key':{'pk':{'S':'a'},'sk':{'S':'b'}}";

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of(
                        "PutItem",
                        "{'Item':{'pk':{'S':'a'}}}",
                        "1 validation error detected: Value null at 'tableName' failed to satisfy constraint: Member must not be null"),
                Arguments.of(
                        "PutItem",
                        "{'TableName':'','Item':{'pk':{'S':'a'}}}",
                        "1 validation error detected: Value '' at 'tableName' failed to satisfy constraint: Member must have length "
                                + "greater than or equal to 1"),
                Arguments.of(
                        "PutItem",
                        "{'TableName':'bad table!@#','Item':{'pk':{'S':'a'}}}",
                        "1 validation error detected: Value 'bad table!@#' at 'tableName' failed to satisfy constraint: Member must "
                                + "satisfy regular expression pattern: [a-zA-Z0-9_.-]+"),
                Arguments.of(
                        "PutItem",
                        "{'TableName':'tab','Item':{'pk':{'S':'a'},'sk':{'S':'b'},'s':{'SS':[]}}}",
                        "One or more parameter values were invalid: An string set  may not be empty"),
                Arguments.of(
                        "PutItem",
                        "{'TableName':'tab','Item':{'pk':{'S':'a'},'sk':{'S':'b'},'s':{'NS':[]}}}",
                        "One or more parameter values were invalid: An number set  may not be empty"),
                Arguments.of(
                        "PutItem",
                        "{'TableName':'tab','Item':{'pk':{'S':'a'},'sk':{'S':'b'},'s':{'SS':['a','a']}}}",
                        "One or more parameter values were invalid: Input collection [a, a] contains duplicates."),
                Arguments.of(
                        "PutItem",
                        "{'TableName':'tab','Item':{'pk':{'S':'a'},'sk':{'S':'b'},'s':{'NULL':false}}}",
                        "One or more parameter values were invalid: Null attribute value types must have the value of true"),
                Arguments.of(
                        "PutItem",
                        "{'TableName':'tab','Item':{'pk':{'S':'a'},'sk':{'S':'b'}},"
                                + "'ConditionExpression':'attribute_exists(pk)','Expected':{'pk':{'Exists':false}}}",
                        "Can not use both expression and non-expression parameters in the same request: Non-expression parameters: "
                                + "{Expected} Expression parameters: {ConditionExpression}"),
                Arguments.of(
                        "PutItem",
                        "{'TableName':'tab','Item':{'pk':{'S':'a'},'sk':{'S':'b'}},"
                                + "'ExpressionAttributeValues':{':v':{'S':'x'}}}",
                        "ExpressionAttributeValues can only be specified when using expressions: ConditionExpression is null"),
                Arguments.of(
                        "PutItem",
                        "{'TableName':'tab','Item':{'pk':{'S':'a'},'sk':{'S':'b'},'n':{'N':'1e126'}}}",
                        "Number overflow. Attempting to store a number with magnitude larger than supported range"),
                Arguments.of(
                        "PutItem",
                        "{'TableName':'tab','Item':{'pk':{'S':'a'},'sk':{'S':'b'},'n':{'N':'1e-131'}}}",
                        "Number underflow. Attempting to store a number with magnitude smaller than supported range"),
                Arguments.of(
                        "PutItem",
                        "{'TableName':'tab','Item':{'pk':{'S':'a'},'sk':{'S':'b'},"
                                + "'n':{'N':'1234567890123456789012345678901234567890'}}}",
                        "Attempting to store more than 38 significant digits in a Number"),
                Arguments.of(
                        "PutItem",
                        "{'TableName':'tab','Item':{'pk':{'S':'a'},'sk':{'S':'b'},'n':{'N':'NaN'}}}",
                        "The parameter cannot be converted to a numeric value: NaN"),
                Arguments.of(
                        "PutItem",
                        "{'TableName':'tab','Item':{'pk':{'S':'a'},'sk':{'N':'1'}}}",
                        "One or more parameter values were invalid: Type mismatch for key sk expected: S actual: N"),
                Arguments.of(
                        "PutItem",
                        "{'TableName':'tab','Item':{'pk':{'S':'a'}}}",
                        "One or more parameter values were invalid: Missing the key sk in the item"),
                Arguments.of(
                        "PutItem",
                        "{'TableName':'tab','Item':{'pk':{'S':'a'},'sk':{'S':'b'},'x':{}}}",
                        "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes"),
                Arguments.of(
                        "PutItem", "{'TableName':'missing','Item':{'pk':{'S':'a'}}}", "Requested resource not found"),
                Arguments.of(
                        "GetItem",
                        "{'TableName':'tab','Key':{'pk':{'S':'a'}}}",
                        "The provided key element does not match the schema"),
                Arguments.of(
                        "GetItem",
                        "{'TableName':'tab'," + KEY + ",'ProjectionExpression':'!!!'}",
                        "Invalid ProjectionExpression: Syntax error; token: \"!\", near: \"!!\""),
                Arguments.of(
                        "GetItem",
                        "{'TableName':'tab'," + KEY + ",'ProjectionExpression':'a, a.b'}",
                        "Invalid ProjectionExpression: Two document paths overlap with each other; must remove or rewrite one of "
                                + "these paths; path one: [a], path two: [a, b]"),
                Arguments.of(
                        "DescribeTable", "{'TableName':'nope'}", "Requested resource not found: Table: nope not found"),
                Arguments.of(
                        "UpdateItem",
                        "{'TableName':'tab'," + KEY + ",'UpdateExpression':'SET pk = :v',"
                                + "'ExpressionAttributeValues':{':v':{'S':'x'}}}",
                        "One or more parameter values were invalid: Cannot update attribute pk. This attribute is part of the key"),
                Arguments.of(
                        "UpdateItem",
                        "{'TableName':'tab'," + KEY + ",'UpdateExpression':'INVALID SYNTAX'}",
                        "Invalid UpdateExpression: Syntax error; token: \"INVALID\", near: \"INVALID SYNTAX\""),
                Arguments.of(
                        "UpdateItem",
                        "{'TableName':'tab'," + KEY + ",'UpdateExpression':'SET a = :v',"
                                + "'ExpressionAttributeNames':{'#unused':'x'},'ExpressionAttributeValues':{':v':{'S':'x'}}}",
                        "Value provided in ExpressionAttributeNames unused in expressions: keys: {#unused}"),
                Arguments.of(
                        "UpdateItem",
                        "{'TableName':'tab'," + KEY + ",'UpdateExpression':'SET a = :v',"
                                + "'ExpressionAttributeValues':{':v':{'S':'x'},':unused':{'S':'y'}}}",
                        "Value provided in ExpressionAttributeValues unused in expressions: keys: {:unused}"),
                Arguments.of(
                        "UpdateItem",
                        "{'TableName':'tab'," + KEY + ",'UpdateExpression':'SET a = :v'}",
                        "Invalid UpdateExpression: An expression attribute value used in expression is not defined; "
                                + "attribute value: :v"),
                Arguments.of(
                        "UpdateItem",
                        "{'TableName':'tab'," + KEY + ",'UpdateExpression':''}",
                        "Invalid UpdateExpression: The expression can not be empty;"),
                Arguments.of(
                        "UpdateItem",
                        "{'TableName':'tab'," + KEY + ",'UpdateExpression':'SET a = :v SET b = :v',"
                                + "'ExpressionAttributeValues':{':v':{'S':'x'}}}",
                        "Invalid UpdateExpression: The \"SET\" section can only be used once in an update expression;"),
                Arguments.of(
                        "UpdateItem",
                        "{'TableName':'tab'," + KEY + ",'UpdateExpression':'SET a = :v, a.b = :v',"
                                + "'ExpressionAttributeValues':{':v':{'S':'x'}}}",
                        "Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these "
                                + "paths; path one: [a], path two: [a, b]"),
                Arguments.of(
                        "UpdateItem",
                        "{'TableName':'tab'," + KEY + ",'UpdateExpression':'ADD a :v',"
                                + "'ExpressionAttributeValues':{':v':{'S':'x'}}}",
                        "Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ADD, operand type: "
                                + "STRING, typeSet: ALLOWED_FOR_ADD_OPERAND"),
                Arguments.of(
                        "UpdateItem",
                        "{'TableName':'tab'," + KEY + ",'UpdateExpression':'SET a = :v + :w',"
                                + "'ExpressionAttributeValues':{':v':{'S':'x'},':w':{'N':'1'}}}",
                        "Invalid UpdateExpression: Incorrect operand type for operator or function; operator or function: +, "
                                + "operand type: S"),
                Arguments.of(
                        "UpdateItem",
                        "{'TableName':'tab'," + KEY + ",'UpdateExpression':'SET status = :v',"
                                + "'ExpressionAttributeValues':{':v':{'S':'x'}}}",
                        "Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: status"),
                Arguments.of(
                        "Query",
                        "{'TableName':'tab','KeyConditionExpression':''}",
                        "Invalid KeyConditionExpression: The expression can not be empty;"),
                Arguments.of(
                        "Query",
                        "{'TableName':'tab','KeyConditionExpression':'sk = :v',"
                                + "'ExpressionAttributeValues':{':v':{'S':'x'}}}",
                        "Query condition missed key schema element: pk"),
                Arguments.of(
                        "Query",
                        "{'TableName':'tab','KeyConditionExpression':'pk = :v AND',"
                                + "'ExpressionAttributeValues':{':v':{'S':'x'}}}",
                        "Invalid KeyConditionExpression: Syntax error; token: \"<EOF>\", near: \"AND\""),
                Arguments.of(
                        "Query",
                        "{'TableName':'tab','KeyConditionExpression':'pk = :v OR sk = :v',"
                                + "'ExpressionAttributeValues':{':v':{'S':'x'}}}",
                        "Invalid KeyConditionExpression: Invalid operator used in KeyConditionExpression: OR"),
                Arguments.of(
                        "Query",
                        "{'TableName':'tab','KeyConditionExpression':'pk = :v',"
                                + "'FilterExpression':'#missing = :v','ExpressionAttributeValues':{':v':{'S':'x'}}}",
                        "Invalid FilterExpression: An expression attribute name used in the document path is not defined; "
                                + "attribute name: #missing"),
                Arguments.of(
                        "Query",
                        "{'TableName':'tab','KeyConditionExpression':'pk = :v','Limit':0,"
                                + "'ExpressionAttributeValues':{':v':{'S':'x'}}}",
                        "1 validation error detected: Value at 'Limit' failed to satisfy constraint: Member must have value greater "
                                + "than or equal to 1"),
                Arguments.of(
                        "Query",
                        "{'TableName':'tab','KeyConditionExpression':'pk = :v','Select':'INVALID_VALUE',"
                                + "'ExpressionAttributeValues':{':v':{'S':'x'}}}",
                        "1 validation error detected: Value 'INVALID_VALUE' at 'select' failed to satisfy constraint: Member must "
                                + "satisfy enum value set: [SPECIFIC_ATTRIBUTES, COUNT, ALL_ATTRIBUTES, ALL_PROJECTED_ATTRIBUTES]"),
                Arguments.of(
                        "Query",
                        "{'TableName':'tab','KeyConditionExpression':'pk = :v',"
                                + "'FilterExpression':'((a = :v))','ExpressionAttributeValues':{':v':{'S':'x'}}}",
                        "Invalid FilterExpression: The expression has redundant parentheses;"),
                Arguments.of(
                        "Scan",
                        "{'TableName':'tab','Segment':1}",
                        "The TotalSegments parameter is required but was not present in the request when Segment parameter is "
                                + "present"),
                Arguments.of(
                        "Scan",
                        "{'TableName':'tab','Segment':5,'TotalSegments':5}",
                        "The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: 5 is not less "
                                + "than TotalSegments: 5"),
                Arguments.of(
                        "Scan",
                        "{'TableName':'tab','Limit':0}",
                        "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value "
                                + "greater than or equal to 1"),
                Arguments.of(
                        "Scan",
                        "{'TableName':'tab','FilterExpression':'foo(a)'}",
                        "Invalid FilterExpression: Invalid function name; function: foo"),
                Arguments.of(
                        "Scan",
                        "{'TableName':'tab','FilterExpression':'size(a)'}",
                        "Invalid FilterExpression: The function is not allowed to be used this way in an expression; function: size"),
                Arguments.of(
                        "Scan",
                        "{'TableName':'tab','FilterExpression':'a = a'}",
                        "Invalid FilterExpression: The first operand must be distinct from the remaining operands for this "
                                + "operator or function; operator: =, first operand: [a]"),
                Arguments.of(
                        "Scan",
                        "{'TableName':'tab','FilterExpression':'attribute_exists(:v)',"
                                + "'ExpressionAttributeValues':{':v':{'S':'x'}}}",
                        "Invalid FilterExpression: Operator or function requires a document path; operator or function: "
                                + "attribute_exists"),
                Arguments.of(
                        "BatchGetItem",
                        "{'RequestItems':{}}",
                        "The requestItems parameter is required for BatchGetItem"),
                Arguments.of(
                        "BatchWriteItem",
                        "{'RequestItems':{}}",
                        "The requestItems parameter is required for BatchWriteItem"),
                Arguments.of(
                        "BatchGetItem",
                        "{'RequestItems':{'tab':{'Keys':[{'pk':{'S':'a'},'sk':{'S':'b'}},"
                                + "{'pk':{'S':'a'},'sk':{'S':'b'}}]}}}",
                        "Provided list of item keys contains duplicates"),
                Arguments.of(
                        "TransactWriteItems",
                        "{'TransactItems':[]}",
                        "1 validation error detected: Value '[]' at 'transactItems' failed to satisfy constraint: Member must have "
                                + "length greater than or equal to 1"),
                Arguments.of(
                        "TransactWriteItems",
                        "{'TransactItems':[{'Put':{'TableName':'tab','Item':{'pk':{'S':'a'},"
                                + "'sk':{'S':'b'}}}},{'Delete':{'TableName':'tab'," + KEY + "}}]}",
                        "Transaction request cannot include multiple operations on one item"),
                Arguments.of(
                        "CreateTable",
                        "{'TableName':'ab','KeySchema':[{'AttributeName':'pk','KeyType':'HASH'}],"
                                + "'AttributeDefinitions':[{'AttributeName':'pk','AttributeType':'S'}],'BillingMode':'PAY_PER_REQUEST'}",
                        "1 validation error detected: Value 'ab' at 'tableName' failed to satisfy constraint: Member must have length "
                                + "greater than or equal to 3"),
                Arguments.of(
                        "CreateTable",
                        "{'KeySchema':[]}",
                        "The parameter 'TableName' is required but was not present in the request"),
                Arguments.of(
                        "CreateTable",
                        "{'TableName':'tab2','KeySchema':[{'AttributeName':'pk','KeyType':'INVALID'}],"
                                + "'AttributeDefinitions':[{'AttributeName':'pk','AttributeType':'S'}],'BillingMode':'PAY_PER_REQUEST'}",
                        "1 validation error detected: Value 'INVALID' at 'keySchema.1.member.keyType' failed to satisfy constraint: "
                                + "Member must satisfy enum value set: [HASH, RANGE]"),
                Arguments.of(
                        "CreateTable",
                        "{'TableName':'tab2','KeySchema':[{'AttributeName':'pk','KeyType':'HASH'},"
                                + "{'AttributeName':'pk','KeyType':'RANGE'}],'AttributeDefinitions':[{'AttributeName':'pk',"
                                + "'AttributeType':'S'}],'BillingMode':'PAY_PER_REQUEST'}",
                        "Invalid KeySchema: Some index key attribute have no definition"),
                Arguments.of(
                        "CreateTable",
                        "{'TableName':'tab2','KeySchema':[{'AttributeName':'pk','KeyType':'HASH'}],"
                                + "'AttributeDefinitions':[{'AttributeName':'pk','AttributeType':'S'},{'AttributeName':'x',"
                                + "'AttributeType':'S'}],'BillingMode':'PAY_PER_REQUEST','LocalSecondaryIndexes':[{'IndexName':'l1',"
                                + "'KeySchema':[{'AttributeName':'pk','KeyType':'HASH'},{'AttributeName':'x','KeyType':'RANGE'}],"
                                + "'Projection':{'ProjectionType':'ALL'}}]}",
                        "One or more parameter values were invalid: Table KeySchema does not have a range key, which is required "
                                + "when specifying a LocalSecondaryIndex"));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void requestWhenInvalidThenDynamoDbsExactMessage(String operation, String json, String message) {
        Api api = new Api();
        api.table("tab", "S");
        assertThat(api.error(operation, json)).isEqualTo(message);
    }
}
