-- Gatehouse item store, SQLite adapter. Every port table lives in this one table, keyed like DynamoDB.
-- sk is a BLOB holding the sort key's UTF-8 bytes: BLOBs compare with memcmp, which is UTF-8 byte order.
-- The primary key's index makes every get and query a range scan of one (tbl, pk).
CREATE TABLE IF NOT EXISTS items (
  tbl        TEXT    NOT NULL,
  pk         TEXT    NOT NULL,
  sk         BLOB    NOT NULL,
  attributes TEXT    NOT NULL,
  expires_at INTEGER,
  PRIMARY KEY (tbl, pk, sk)
);

-- Lets the sweeper find expired rows without a scan.
CREATE INDEX IF NOT EXISTS items_expires_at ON items (expires_at) WHERE expires_at IS NOT NULL;

PRAGMA user_version = 1;
