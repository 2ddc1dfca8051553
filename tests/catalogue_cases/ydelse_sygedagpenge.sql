-- A valid SELECT source for warehouse_sql_source.yaml.
SELECT maaned, org_id, borger_id FROM fact_ydelse WHERE ydelse = 'sygedagpenge'
