-- The warehouse dashboard (issue 16) reads a few rows from the balances, each list through an index, for one
-- warehouse or all of them: items below zero, top items by value, and slow movers (stock on hand, ordered by
-- the last outgoing movement, or the last receipt of an item never shipped).
CREATE INDEX stock_balances_negative ON stock_balances (warehouse_id) WHERE on_hand_milli < 0;
CREATE INDEX stock_balances_top ON stock_balances (value_minor DESC);
CREATE INDEX stock_balances_slow ON stock_balances (warehouse_id, (COALESCE(last_out_at, last_in_at))) WHERE on_hand_milli > 0;
CREATE INDEX stock_balances_slow_all ON stock_balances ((COALESCE(last_out_at, last_in_at))) WHERE on_hand_milli > 0;
