{{ config(materialized='table', format='parquet', partitioned_by=['team']) }}
select count(*) as members, max(name) as last_name, team from {{ ref('people_view') }} group by team
