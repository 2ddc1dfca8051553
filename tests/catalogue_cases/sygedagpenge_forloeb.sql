-- A SELECT source over a table the test warehouse lacks (warehouse_sql_source.yaml).
SELECT slutdato, org_id, borger_id, varighed_uger FROM fact_sygedagpenge
