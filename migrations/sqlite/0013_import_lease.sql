-- An import run is held by one app server at a time (issue 14): `runner` is the lease's random token, taken
-- by a conditional UPDATE; every batch's commit and the end of the run check it, so a server whose lease
-- lapsed (and was taken over by another) can no longer write counts or rows of that import.
ALTER TABLE imports ADD COLUMN runner TEXT;
