-- Gatehouse item store, PostgreSQL adapter. Every port table lives in this one table, keyed like DynamoDB.
-- pk and sk are the UTF-8 bytes of the keys: bytea compares with memcmp, which is UTF-8 byte order, and holds
-- U+0000, which text cannot. attributes is the item's attributes in the adapter's binary form (AttributesCodec).
-- The primary key's index makes every get and query a range scan of one (tbl, pk).
CREATE TABLE items (
  tbl        text COLLATE "C" NOT NULL,
  pk         bytea            NOT NULL,
  sk         bytea            NOT NULL,
  attributes bytea            NOT NULL,
  expires_at bigint,
  PRIMARY KEY (tbl, pk, sk)
);

-- Lets the sweeper find expired rows without a scan.
CREATE INDEX items_expires_at ON items (expires_at) WHERE expires_at IS NOT NULL;
