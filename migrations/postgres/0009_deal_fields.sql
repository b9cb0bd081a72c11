-- Deals, part 2: custom fields on deals (the customers' mechanism; a deal field's values have the deal's id
-- as record_id).
ALTER TABLE custom_fields DROP CONSTRAINT custom_fields_entity_check;
ALTER TABLE custom_fields ADD CONSTRAINT custom_fields_entity_check
    CHECK (entity IN ('customer', 'contact', 'deal'));
