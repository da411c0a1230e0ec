{{ config(materialized='incremental', incremental_strategy='append', format='parquet') }}
select {{ var('batch') }} as batch, id, name from {{ ref('people') }} where id <= {{ var('batch') }} + 1
