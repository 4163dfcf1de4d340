-- one row per entity that shares facts with the given one (or is its parent or child),
-- most shared first
with shared as (
    select other.entity_id, count(distinct mine.fact_id) as shared_facts
    from fact_entities as mine
    join fact_entities as other on other.fact_id = mine.fact_id and other.entity_id <> mine.entity_id
    where mine.entity_id = $entity_id
    group by other.entity_id
),
family as (
    select e.entity_id, 0 as shared_facts
    from entities as e
    where e.parent_id = $entity_id
       or e.entity_id = (select p.parent_id from entities as p where p.entity_id = $entity_id)
)
select
    e.entity_id,
    e.name,
    e.entity_type,
    e.country,
    max(x.shared_facts) as shared_facts,
    coalesce(e.entity_id = (select p.parent_id from entities as p where p.entity_id = $entity_id), false) as is_parent,
    coalesce(e.parent_id = $entity_id, false) as is_child
from (select * from shared union all select * from family) as x
join entities as e on e.entity_id = x.entity_id
group by all
order by is_parent desc, is_child desc, shared_facts desc, e.name
limit 25
