-- Reason: reminders. A schedule says how long before movie night the bot posts "starting soon"
-- (0: not at all) and whom it pings then: nobody, the members who marked the night's event
-- Interested, or one role. A post remembers whether its "starting soon" and its "the vote
-- closes in 1 hour" went out (or were skipped), so each is posted once.

ALTER TABLE weekly_schedules ADD COLUMN remind TEXT NOT NULL DEFAULT 'none'
    CHECK (remind IN ('none', 'interested', 'role'));
ALTER TABLE weekly_schedules ADD COLUMN remind_role INTEGER;
ALTER TABLE weekly_schedules ADD COLUMN remind_minutes INTEGER NOT NULL DEFAULT 15;

ALTER TABLE weekly_posts ADD COLUMN soon_state TEXT CHECK (soon_state IN ('posted', 'skipped'));
ALTER TABLE weekly_posts ADD COLUMN closing_state TEXT
    CHECK (closing_state IN ('posted', 'skipped'));
