-- Set when an administrator gives a user a new password: until the user chooses their own, every request of
-- theirs except changing it (and signing out) is refused, and pages send them to their profile.
ALTER TABLE users ADD COLUMN must_change_password BOOLEAN NOT NULL DEFAULT FALSE;
