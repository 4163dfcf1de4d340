-- one row per entity whose name or any alias contains the search text
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
left join entities as parent on parent.entity_id = e.parent_id
where $search is null
   or e.entity_id in (select n.entity_id from entity_names as n where contains(n.name_folded, lower($search)))
order by e.fact_count desc, e.name
limit $limit
