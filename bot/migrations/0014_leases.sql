-- Reason: several bot processes may share one database (scale-out); work only one of them may do
-- at a time for a server (its weekly posts) is leased here, by process, until a time.
CREATE TABLE leases (
    name  TEXT PRIMARY KEY,
    owner TEXT NOT NULL,
    until TEXT NOT NULL
) WITHOUT ROWID;

-- When each Discord rate-limit bucket may next IDENTIFY, across every process of the bot.
CREATE TABLE identify_slots (
    bucket INTEGER PRIMARY KEY,
    at     TEXT NOT NULL
);
