-- batch 1 fills days 1 and 2; batch 2 replaces day 2 and adds day 3
{{ config(materialized='incremental', incremental_strategy='insert_overwrite',
          format='parquet', partitioned_by=['day']) }}
{% if var('batch') == 1 %}
select 10 as amount, 'one' as label, 1 as day
union all select 20, 'two', 2
{% else %}
select 21 as amount, 'two-again' as label, 2 as day
union all select 30, 'three', 3
{% endif %}
