-- Sign-in throttling (issue 14): an attempt is recorded before its password is hashed (so a parallel burst
-- counts every request), with the device it came from. A device where the user signed in before carries a
-- cookie whose hash is kept here: failures elsewhere never lock the owner out on it.
ALTER TABLE login_failures ADD COLUMN device TEXT NOT NULL DEFAULT '';
CREATE INDEX login_failures_device ON login_failures (device, at);

CREATE TABLE login_devices (
    token_hash  TEXT    PRIMARY KEY,
    user_id     BIGINT  NOT NULL REFERENCES users (id),
    created_at  BIGINT  NOT NULL,
    last_used_at BIGINT NOT NULL
);
CREATE INDEX login_devices_user ON login_devices (user_id);
