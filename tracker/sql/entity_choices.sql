-- every entity, most-cited first, with its label in the sidebar's list of choices: the name, then up
-- to six other names it goes by ("Huawei Technologies (Huawei, 华为)")
with named as (
    select e.entity_id, e.name, e.fact_count, list_filter(coalesce(e.aliases, []), lambda a: a <> e.name) as other
    from entities as e
)
select
    entity_id,
    case when len(other) = 0 then name else name || ' (' || array_to_string(other[1:6], ', ') || ')' end as label
from named
order by fact_count desc, name
