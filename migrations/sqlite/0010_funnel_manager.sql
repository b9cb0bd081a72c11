-- The sales funnel narrowed to a manager, a team or the manager's own scope (dealbench, 250,000 deals and
-- a million stage-history rows: 850 ms for one manager, over the 500 ms target): the deals' groups read
-- the whole pipeline's funnel index and then each deal's row for its manager (330 ms), and the history
-- join read each stay's row (150 ms). Both are served from covering indexes now (8 ms and ~115 ms).
-- PostgreSQL plans these as a hash join over its own indexes (126 ms) and needs neither.
CREATE INDEX deals_funnel_manager ON deals (manager_id, pipeline_id, max_position, status, currency, lost_stage_id,
    loss_reason_id, created_at, amount);

-- A deal's history is still read oldest first through this index (a handful of rows per deal).
DROP INDEX deal_stage_history_deal;
CREATE INDEX deal_stage_history_deal ON deal_stage_history (deal_id, pipeline_id, stage_id, entered_at, left_at);
