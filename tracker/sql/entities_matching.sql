-- one row per entity whose name or any alias contains the search text
with matches as (
    select distinct n.entity_id
    from entity_names as n
    where $search is null or contains(n.name_folded, lower($search))
)
select
    e.entity_id,
    e.name,
    e.entity_type,
    e.country,
    e.aliases,
    e.parent_id,
    parent.name as parent_name,
    e.fact_count
from entities as e
join matches as m on m.entity_id = e.entity_id
left join entities as parent on parent.entity_id = e.parent_id
order by e.fact_count desc, e.name
limit $limit
