-- Reason: /pickif understands limits and meaning. "Under 95 minutes" filters on the runtime,
-- which lived only inside the review JSON: it gets a column of its own (filled from the JSON
-- here, written with every save). A sentence-embedding model, when one is installed, gives each
-- review a vector at import; it is kept with the name of the model that made it, so a new model
-- re-embeds only what it has not embedded yet.
ALTER TABLE reviews ADD COLUMN runtime_minutes INTEGER;
UPDATE reviews SET runtime_minutes = json_extract(data, '$.runtime_minutes');

CREATE TABLE review_vectors (
    review_id INTEGER PRIMARY KEY REFERENCES reviews (id) ON DELETE CASCADE,
    model TEXT NOT NULL,
    vector BLOB NOT NULL
);
