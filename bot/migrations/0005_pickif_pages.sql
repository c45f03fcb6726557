-- Reason: /pickif's Previous, Next and Pick this must answer after a restart, and in the order
-- they were clicked. A result list's query, its page and whether a film was picked live here,
-- keyed by the token in the buttons' custom ids, instead of in a view held in memory.
CREATE TABLE pickif_pages (
    token TEXT PRIMARY KEY,
    guild_id INTEGER NOT NULL,
    owner_id INTEGER NOT NULL,
    themes TEXT NOT NULL,
    include_seen INTEGER NOT NULL,
    private INTEGER NOT NULL,
    page INTEGER NOT NULL DEFAULT 0,
    picked_at TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX pickif_pages_created ON pickif_pages (created_at);
