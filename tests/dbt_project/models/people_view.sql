{{ config(materialized='view') }}
select id, name, team from {{ ref('people') }}
