package dev.gatehouse.tables;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DynamoDbServiceTests {

    private Api api;

    /** The API under test; subclasses run every test on another store adapter. */
    Api newApi() {
        return new Api();
    }

    @BeforeEach
    void setUp() {
        api = newApi();
        api.table("notes", "S");
    }

    @Test
    void putItemThenGetItemThenSameItemWithNumbersNormalised() {
        api.ok(
                "PutItem",
                "{'TableName':'notes','Item':{'pk':{'S':'u1'},'sk':{'S':'n1'},'n':{'N':'001.50'},"
                        + "'tags':{'SS':['a','b']},'m':{'M':{'x':{'L':[{'BOOL':true},{'NULL':true}]}}}}}");
        JsonNode item = api.ok("GetItem", "{'TableName':'notes','Key':{'pk':{'S':'u1'},'sk':{'S':'n1'}}}")
                .get("Item");
        assertThat(item.get("n").get("N").asText()).isEqualTo("1.5");
        assertThat(item.get("m").toString()).isEqualTo("{\"M\":{\"x\":{\"L\":[{\"BOOL\":true},{\"NULL\":true}]}}}");
    }

    @Test
    void getItemWhenAbsentThenNoItemMember() {
        JsonNode out = api.ok("GetItem", "{'TableName':'notes','Key':{'pk':{'S':'u1'},'sk':{'S':'zz'}}}");
        assertThat(out.has("Item")).isFalse();
    }

    @Test
    void putItemWhenConditionFailsThenConditionalCheckFailedWithItem() {
        api.ok("PutItem", "{'TableName':'notes','Item':{'pk':{'S':'u1'},'sk':{'S':'n1'},'v':{'N':'1'}}}");
        String message = api.error(
                "PutItem",
                "{'TableName':'notes','Item':{'pk':{'S':'u1'},'sk':{'S':'n1'}},"
                        + "'ConditionExpression':'attribute_not_exists(pk)','ReturnValuesOnConditionCheckFailure':'ALL_OLD'}");
        assertThat(message).isEqualTo("The conditional request failed");
        assertThat(api.type()).isEqualTo("com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException");
        assertThat(api.body.get("Item").get("v").get("N").asText()).isEqualTo("1");
    }

    @Test
    void queryWhenSortConditionAndLimitThenPagesWithLastEvaluatedKey() {
        for (int i = 0; i < 5; i++) {
            api.ok("PutItem", "{'TableName':'notes','Item':{'pk':{'S':'u1'},'sk':{'S':'n" + i + "'}}}");
        }
        api.ok("PutItem", "{'TableName':'notes','Item':{'pk':{'S':'u2'},'sk':{'S':'n0'}}}");
        JsonNode page = api.ok(
                "Query",
                "{'TableName':'notes','KeyConditionExpression':'pk = :u AND sk > :s',"
                        + "'ExpressionAttributeValues':{':u':{'S':'u1'},':s':{'S':'n1'}},'Limit':2}");
        assertThat(page.get("Count").asInt()).isEqualTo(2);
        assertThat(page.get("LastEvaluatedKey").get("sk").get("S").asText()).isEqualTo("n3");
        JsonNode next = api.ok(
                "Query",
                "{'TableName':'notes','KeyConditionExpression':'pk = :u AND sk > :s',"
                        + "'ExpressionAttributeValues':{':u':{'S':'u1'},':s':{'S':'n1'}},'Limit':2,"
                        + "'ExclusiveStartKey':"
                        + page.get("LastEvaluatedKey").toString().replace('"', '\'') + "}");
        assertThat(next.get("Items").get(0).get("sk").get("S").asText()).isEqualTo("n4");
    }

    @Test
    void queryWhenDescendingThenReverseOrder() {
        for (int i = 0; i < 3; i++) {
            api.ok("PutItem", "{'TableName':'notes','Item':{'pk':{'S':'u1'},'sk':{'S':'n" + i + "'}}}");
        }
        JsonNode page = api.ok(
                "Query",
                "{'TableName':'notes','KeyConditionExpression':'pk = :u',"
                        + "'ExpressionAttributeValues':{':u':{'S':'u1'}},'ScanIndexForward':false}");
        assertThat(page.get("Items").get(0).get("sk").get("S").asText()).isEqualTo("n2");
    }

    @Test
    void updateItemWhenSetAddRemoveThenAllNewReturned() {
        api.ok(
                "PutItem",
                "{'TableName':'notes','Item':{'pk':{'S':'u1'},'sk':{'S':'n1'},'c':{'N':'1'},"
                        + "'gone':{'S':'x'},'l':{'L':[{'N':'1'}]}}}");
        JsonNode out = api.ok(
                "UpdateItem",
                "{'TableName':'notes','Key':{'pk':{'S':'u1'},'sk':{'S':'n1'}},"
                        + "'UpdateExpression':'SET c = c + :one, l = list_append(l, :more), t = if_not_exists(t, :z) REMOVE gone "
                        + "ADD s :set','ExpressionAttributeValues':{':one':{'N':'1'},':more':{'L':[{'N':'2'}]},':z':{'S':'z'},"
                        + "':set':{'SS':['q']}},'ReturnValues':'ALL_NEW'}");
        JsonNode attributes = out.get("Attributes");
        assertThat(attributes.get("c").get("N").asText()).isEqualTo("2");
        assertThat(attributes.get("l").get("L")).hasSize(2);
        assertThat(attributes.has("gone")).isFalse();
        assertThat(attributes.get("t").get("S").asText()).isEqualTo("z");
        assertThat(attributes.get("s").get("SS").get(0).asText()).isEqualTo("q");
    }

    @Test
    void scanWhenFilterThenCountsScannedAndMatched() {
        for (int i = 0; i < 4; i++) {
            api.ok(
                    "PutItem",
                    "{'TableName':'notes','Item':{'pk':{'S':'u" + i + "'},'sk':{'S':'a'},'n':{'N':'" + i + "'}}}");
        }
        JsonNode out = api.ok(
                "Scan",
                "{'TableName':'notes','FilterExpression':'n >= :two',"
                        + "'ExpressionAttributeValues':{':two':{'N':'2'}}}");
        assertThat(out.get("Count").asInt()).isEqualTo(2);
        assertThat(out.get("ScannedCount").asInt()).isEqualTo(4);
    }

    @Test
    void transactWriteWhenOneConditionFailsThenCancelledAndNothingWritten() {
        api.ok("PutItem", "{'TableName':'notes','Item':{'pk':{'S':'u1'},'sk':{'S':'n1'}}}");
        String message = api.error(
                "TransactWriteItems",
                "{'TransactItems':["
                        + "{'Put':{'TableName':'notes','Item':{'pk':{'S':'u2'},'sk':{'S':'n1'}}}},"
                        + "{'ConditionCheck':{'TableName':'notes','Key':{'pk':{'S':'u1'},'sk':{'S':'n1'}},"
                        + "'ConditionExpression':'attribute_not_exists(pk)'}}]}");
        assertThat(message)
                .isEqualTo(
                        "Transaction cancelled, please refer cancellation reasons for specific reasons [None, ConditionalCheckFailed]");
        assertThat(api.body.get("CancellationReasons")).hasSize(2);
        assertThat(api.ok("GetItem", "{'TableName':'notes','Key':{'pk':{'S':'u2'},'sk':{'S':'n1'}}}")
                        .has("Item"))
                .isFalse();
    }

    @Test
    void queryOnGlobalIndexWhenKeysOnlyThenProjectedAttributes() {
        api.ok(
                "CreateTable",
                "{'TableName':'orders','BillingMode':'PAY_PER_REQUEST',"
                        + "'KeySchema':[{'AttributeName':'id','KeyType':'HASH'}],"
                        + "'AttributeDefinitions':[{'AttributeName':'id','AttributeType':'S'},"
                        + "{'AttributeName':'customer','AttributeType':'S'},{'AttributeName':'total','AttributeType':'N'}],"
                        + "'GlobalSecondaryIndexes':[{'IndexName':'byCustomer','KeySchema':[{'AttributeName':'customer',"
                        + "'KeyType':'HASH'},{'AttributeName':'total','KeyType':'RANGE'}],'Projection':{'ProjectionType':'KEYS_ONLY'}}]}");
        api.ok(
                "PutItem",
                "{'TableName':'orders','Item':{'id':{'S':'o1'},'customer':{'S':'c'},'total':{'N':'20'},"
                        + "'x':{'S':'hidden'}}}");
        api.ok("PutItem", "{'TableName':'orders','Item':{'id':{'S':'o2'},'customer':{'S':'c'},'total':{'N':'5'}}}");
        api.ok("PutItem", "{'TableName':'orders','Item':{'id':{'S':'o1'},'customer':{'S':'c'},'total':{'N':'30'}}}");
        JsonNode out = api.ok(
                "Query",
                "{'TableName':'orders','IndexName':'byCustomer',"
                        + "'KeyConditionExpression':'customer = :c','ExpressionAttributeValues':{':c':{'S':'c'}}}");
        assertThat(out.get("Count").asInt()).isEqualTo(2);
        assertThat(out.get("Items").get(0).get("total").get("N").asText()).isEqualTo("5");
        assertThat(out.get("Items").get(1).get("total").get("N").asText()).isEqualTo("30");
        assertThat(out.get("Items").get(1).has("x")).isFalse();
    }

    @Test
    void tagResourceThenListTagsThenUntag() {
        String arn = api.ok("DescribeTable", "{'TableName':'notes'}")
                .get("Table")
                .get("TableArn")
                .asText();
        api.ok(
                "TagResource",
                "{'ResourceArn':'" + arn + "','Tags':[{'Key':'env','Value':'production'},"
                        + "{'Key':'team','Value':'a'}]}");
        api.ok("UntagResource", "{'ResourceArn':'" + arn + "','TagKeys':['team']}");
        JsonNode tags =
                api.ok("ListTagsOfResource", "{'ResourceArn':'" + arn + "'}").get("Tags");
        assertThat(tags).hasSize(1);
        assertThat(tags.get(0).get("Value").asText()).isEqualTo("production");
    }

    @Test
    void getItemWhenTtlPassedThenAbsentAndConditionSeesNoItem() {
        java.time.Instant now = java.time.Instant.parse("2026-01-01T00:00:00Z");
        api.ok(
                "UpdateTimeToLive",
                "{'TableName':'notes','TimeToLiveSpecification':{'Enabled':true," + "'AttributeName':'expires'}}");
        assertThat(api.ok("DescribeTimeToLive", "{'TableName':'notes'}")
                        .get("TimeToLiveDescription")
                        .get("TimeToLiveStatus")
                        .asText())
                .isEqualTo("ENABLED");
        api.ok(
                "PutItem",
                "{'TableName':'notes','Item':{'pk':{'S':'u1'},'sk':{'S':'old'},'expires':{'N':'"
                        + (now.getEpochSecond() - 1) + "'}}}");
        api.ok(
                "PutItem",
                "{'TableName':'notes','Item':{'pk':{'S':'u1'},'sk':{'S':'new'},'expires':{'N':'"
                        + (now.getEpochSecond() + 60) + "'}}}");
        assertThat(api.ok("GetItem", "{'TableName':'notes','Key':{'pk':{'S':'u1'},'sk':{'S':'old'}}}")
                        .has("Item"))
                .isFalse();
        assertThat(api.ok(
                                "Query",
                                "{'TableName':'notes','KeyConditionExpression':'pk = :u',"
                                        + "'ExpressionAttributeValues':{':u':{'S':'u1'}}}")
                        .get("Count")
                        .asInt())
                .isEqualTo(1);
        api.ok(
                "PutItem",
                "{'TableName':'notes','Item':{'pk':{'S':'u1'},'sk':{'S':'old'}},"
                        + "'ConditionExpression':'attribute_not_exists(pk)'}");
        assertThat(api.error(
                        "UpdateTimeToLive",
                        "{'TableName':'notes','TimeToLiveSpecification':{'Enabled':true,"
                                + "'AttributeName':'other'}}"))
                .isEqualTo("TimeToLive is already enabled");
    }

    @Test
    void listTablesWhenLimitThenPagesInNameOrder() {
        api.table("alpha", null);
        api.table("zulu", null);
        JsonNode first = api.ok("ListTables", "{'Limit':2}");
        assertThat(first.get("TableNames").toString()).isEqualTo("[\"alpha\",\"notes\"]");
        JsonNode second = api.ok(
                "ListTables",
                "{'Limit':2,'ExclusiveStartTableName':'"
                        + first.get("LastEvaluatedTableName").asText() + "'}");
        assertThat(second.get("TableNames").toString()).isEqualTo("[\"zulu\"]");
        assertThat(second.has("LastEvaluatedTableName")).isFalse();
    }

    @Test
    void updateTableWhenGsiCreatedThenExistingItemsQueryable() {
        api.ok("PutItem", "{'TableName':'notes','Item':{'pk':{'S':'u1'},'sk':{'S':'n1'},'owner':{'S':'o'}}}");
        api.ok(
                "UpdateTable",
                "{'TableName':'notes','AttributeDefinitions':[{'AttributeName':'owner',"
                        + "'AttributeType':'S'}],'GlobalSecondaryIndexUpdates':[{'Create':{'IndexName':'byOwner','KeySchema':"
                        + "[{'AttributeName':'owner','KeyType':'HASH'}],'Projection':{'ProjectionType':'ALL'}}}]}");
        JsonNode out = api.ok(
                "Query",
                "{'TableName':'notes','IndexName':'byOwner','KeyConditionExpression':"
                        + "'#o = :o','ExpressionAttributeNames':{'#o':'owner'},'ExpressionAttributeValues':{':o':{'S':'o'}}}");
        assertThat(out.get("Count").asInt()).isEqualTo(1);
        assertThat(out.get("Items").get(0).get("sk").get("S").asText()).isEqualTo("n1");
        api.ok(
                "UpdateItem",
                "{'TableName':'notes','Key':{'pk':{'S':'u1'},'sk':{'S':'n1'}},"
                        + "'UpdateExpression':'REMOVE #o','ExpressionAttributeNames':{'#o':'owner'}}");
        assertThat(api.ok("Scan", "{'TableName':'notes','IndexName':'byOwner'}")
                        .get("Count")
                        .asInt())
                .isZero();
    }

    @Test
    void legacyParametersWhenOldSdkCodeThenSameSemantics() {
        api.ok(
                "PutItem",
                "{'TableName':'notes','Item':{'pk':{'S':'u1'},'sk':{'S':'n1'},'v':{'N':'1'}},"
                        + "'Expected':{'pk':{'Exists':false}}}");
        assertThat(api.error(
                        "PutItem",
                        "{'TableName':'notes','Item':{'pk':{'S':'u1'},'sk':{'S':'n1'}},"
                                + "'Expected':{'v':{'ComparisonOperator':'EQ','AttributeValueList':[{'N':'2'}]}}}"))
                .isEqualTo("The conditional request failed");
        api.ok(
                "UpdateItem",
                "{'TableName':'notes','Key':{'pk':{'S':'u1'},'sk':{'S':'n1'}},"
                        + "'AttributeUpdates':{'v':{'Action':'ADD','Value':{'N':'5'}},'w':{'Value':{'S':'x'}}}}");
        JsonNode out = api.ok(
                "Query",
                "{'TableName':'notes','KeyConditions':{'pk':{'ComparisonOperator':'EQ',"
                        + "'AttributeValueList':[{'S':'u1'}]}},'QueryFilter':{'v':{'ComparisonOperator':'GT',"
                        + "'AttributeValueList':[{'N':'5'}]}}}");
        assertThat(out.get("Count").asInt()).isEqualTo(1);
        assertThat(out.get("Items").get(0).get("v").get("N").asText()).isEqualTo("6");
    }

    @Test
    void deleteTableThenItemsGoneAfterRecreate() {
        api.ok("PutItem", "{'TableName':'notes','Item':{'pk':{'S':'u1'},'sk':{'S':'n1'}}}");
        api.ok("DeleteTable", "{'TableName':'notes'}");
        assertThat(api.error("DescribeTable", "{'TableName':'notes'}"))
                .isEqualTo("Requested resource not found: Table: notes not found");
        api.table("notes", "S");
        assertThat(api.ok("Scan", "{'TableName':'notes'}").get("Count").asInt()).isZero();
    }

    @Test
    void putItemWhenNearly400KbThenStoredAndReadBackAndOverLimitRefused() {
        String big = "x".repeat(400 * 1024 - 100);
        api.ok("PutItem", "{'TableName':'notes','Item':{'pk':{'S':'u1'},'sk':{'S':'big'},'data':{'S':'" + big + "'}}}");
        JsonNode item = api.ok("GetItem", "{'TableName':'notes','Key':{'pk':{'S':'u1'},'sk':{'S':'big'}}}")
                .get("Item");
        assertThat(item.get("data").get("S").asText()).hasSize(big.length());
        api.ok(
                "UpdateItem",
                "{'TableName':'notes','Key':{'pk':{'S':'u1'},'sk':{'S':'big'}},"
                        + "'UpdateExpression':'SET small = :s','ExpressionAttributeValues':{':s':{'S':'y'}}}");
        assertThat(api.ok(
                                "Query",
                                "{'TableName':'notes','KeyConditionExpression':'pk = :u',"
                                        + "'ExpressionAttributeValues':{':u':{'S':'u1'}}}")
                        .get("Items")
                        .get(0)
                        .get("small")
                        .get("S")
                        .asText())
                .isEqualTo("y");
        assertThat(api.error(
                        "PutItem",
                        "{'TableName':'notes','Item':{'pk':{'S':'u1'},'sk':{'S':'big'},'data':{'S':'" + big
                                + "'},'more':{'S':'" + "z".repeat(200) + "'}}}"))
                .isEqualTo("Item size has exceeded the maximum allowed size");
        api.ok("DeleteItem", "{'TableName':'notes','Key':{'pk':{'S':'u1'},'sk':{'S':'big'}}}");
        assertThat(api.ok("GetItem", "{'TableName':'notes','Key':{'pk':{'S':'u1'},'sk':{'S':'big'}}}")
                        .has("Item"))
                .isFalse();
    }

    @Test
    void transactWriteWhenTokenRepeatedThenAppliedOnceAndOtherParametersRefused() {
        String request = "{'ClientRequestToken':'tok-1','TransactItems':[{'Update':{'TableName':'notes',"
                + "'Key':{'pk':{'S':'u1'},'sk':{'S':'c'}},'UpdateExpression':'ADD n :one',"
                + "'ExpressionAttributeValues':{':one':{'N':'1'}}}}]}";
        api.ok("TransactWriteItems", request);
        api.ok("TransactWriteItems", request);
        assertThat(api.ok("GetItem", "{'TableName':'notes','Key':{'pk':{'S':'u1'},'sk':{'S':'c'}}}")
                        .get("Item")
                        .get("n")
                        .get("N")
                        .asText())
                .isEqualTo("1");
        api.error("TransactWriteItems", request.replace("'N':'1'", "'N':'2'"));
        assertThat(api.type()).isEqualTo("com.amazonaws.dynamodb.v20120810#IdempotentParameterMismatchException");
    }

    @Test
    void queryWhenFilterNamesKeyAttributeThenRefused() {
        assertThat(api.error(
                        "Query",
                        "{'TableName':'notes','KeyConditionExpression':'pk = :u',"
                                + "'FilterExpression':'sk = :u','ExpressionAttributeValues':{':u':{'S':'u1'}}}"))
                .isEqualTo("Filter Expression can only contain non-primary key attributes: Primary key attribute: sk");
    }

    @Test
    void putItemWhenLocalIndexAndSizeAskedThenItemCollectionMetricsAndLsiQueryOrdersByIndexKey() {
        api.ok(
                "CreateTable",
                "{'TableName':'events','BillingMode':'PAY_PER_REQUEST',"
                        + "'KeySchema':[{'AttributeName':'pk','KeyType':'HASH'},{'AttributeName':'sk','KeyType':'RANGE'}],"
                        + "'AttributeDefinitions':[{'AttributeName':'pk','AttributeType':'S'},{'AttributeName':'sk',"
                        + "'AttributeType':'S'},{'AttributeName':'at','AttributeType':'N'}],'LocalSecondaryIndexes':[{'IndexName':"
                        + "'byTime','KeySchema':[{'AttributeName':'pk','KeyType':'HASH'},{'AttributeName':'at','KeyType':'RANGE'}],"
                        + "'Projection':{'ProjectionType':'KEYS_ONLY'}}]}");
        JsonNode out = api.ok(
                "PutItem",
                "{'TableName':'events','Item':{'pk':{'S':'p'},'sk':{'S':'a'},'at':{'N':'20'},"
                        + "'x':{'S':'y'}},'ReturnItemCollectionMetrics':'SIZE'}");
        assertThat(out.get("ItemCollectionMetrics")
                        .get("ItemCollectionKey")
                        .get("pk")
                        .get("S")
                        .asText())
                .isEqualTo("p");
        assertThat(out.get("ItemCollectionMetrics").get("SizeEstimateRangeGB")).hasSize(2);
        api.ok("PutItem", "{'TableName':'events','Item':{'pk':{'S':'p'},'sk':{'S':'b'},'at':{'N':'-5'}}}");
        JsonNode query = api.ok(
                "Query",
                "{'TableName':'events','IndexName':'byTime','KeyConditionExpression':"
                        + "'pk = :p AND #at < :t','ExpressionAttributeNames':{'#at':'at'},'ExpressionAttributeValues':"
                        + "{':p':{'S':'p'},':t':{'N':'100'}},'Limit':1}");
        assertThat(query.get("Items").get(0).get("sk").get("S").asText()).isEqualTo("b");
        assertThat(query.get("LastEvaluatedKey").size()).isEqualTo(3);
        assertThat(api.ok(
                                "PutItem",
                                "{'TableName':'notes','Item':{'pk':{'S':'p'},'sk':{'S':'a'}},"
                                        + "'ReturnItemCollectionMetrics':'SIZE'}")
                        .has("ItemCollectionMetrics"))
                .isFalse();
    }

    @Test
    void createTableIfMissingWhenTableExistsThenKeptWithItsItems() {
        TableSpec spec = TableSpec.of("stackTable", "userId", "S", "noteId", "S");
        api.service.createTableIfMissing(spec);
        api.ok("PutItem", "{'TableName':'stackTable','Item':{'userId':{'S':'u'},'noteId':{'S':'n'}}}");
        api.service.createTableIfMissing(spec);
        assertThat(api.ok("Scan", "{'TableName':'stackTable'}").get("Count").asInt())
                .isEqualTo(1);
        assertThat(api.ok("DescribeTable", "{'TableName':'stackTable'}")
                        .get("Table")
                        .get("BillingModeSummary")
                        .get("BillingMode")
                        .asText())
                .isEqualTo("PAY_PER_REQUEST");
    }

    @Test
    void getItemWhenTableArnThenServedOnlyForThisAccount() {
        api.ok("PutItem", "{'TableName':'notes','Item':{'pk':{'S':'u1'},'sk':{'S':'n1'}}}");
        String key = "'Key':{'pk':{'S':'u1'},'sk':{'S':'n1'}}";
        assertThat(api.ok("GetItem", "{'TableName':'arn:aws:dynamodb:us-east-1:123456789012:table/notes'," + key + "}")
                        .has("Item"))
                .isTrue();
        assertThat(api.error(
                        "GetItem", "{'TableName':'arn:aws:dynamodb:us-east-1:999999999999:table/notes'," + key + "}"))
                .isEqualTo("Requested resource not found");
    }
}
