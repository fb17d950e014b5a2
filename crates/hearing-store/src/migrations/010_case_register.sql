-- The case register's pages (cases::list) and the 工作台's counts (cases::counts) from indexes,
-- without reading the cases' rows (at 100,000 cases a deep page or the counts read 400 MB):
-- a page's order (登记日期, then number) with or without a state filter, and each state's count
-- with how many analyses are incomplete. The new indexes cover the ones they replace.
DROP INDEX IF EXISTS cases_registered;
CREATE INDEX IF NOT EXISTS cases_registered_number ON cases (registered_on, number);
DROP INDEX IF EXISTS cases_status;
CREATE INDEX IF NOT EXISTS cases_status_registered ON cases (status, registered_on, number);
CREATE INDEX IF NOT EXISTS cases_status_completeness ON cases (status, analysis_completeness);
