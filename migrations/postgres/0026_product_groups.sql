-- Product groups (issue 16) become a tree users keep: a name is unique among its siblings, compared by
-- `name_key` (lower-cased by Rust: SQLite's lower() leaves Cyrillic alone); the root's groups are siblings too.
ALTER TABLE product_groups ADD COLUMN name_key TEXT;
UPDATE product_groups SET name_key = lower(name);
CREATE UNIQUE INDEX product_groups_sibling_name ON product_groups ((COALESCE(parent_id, 0)), name_key);
