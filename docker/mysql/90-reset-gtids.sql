-- Last common init step on BOTH servers. Each one has just applied the same init files, so their
-- data match; clearing the binary logs and GTID sets lets the replica start from the primary's
-- first post-init transaction with SOURCE_AUTO_POSITION, instead of replaying init statements
-- it has already run (which would stop replication on "user/database exists").
RESET BINARY LOGS AND GTIDS;
