-- one row per entity that shares facts with the given one (or is its parent or child),
-- most shared first; shared facts are counted among the entity's $window newest facts, so a
-- very much cited entity costs no more than a rare one
with shared as (
    select other.entity_id, count(distinct other.fact_no) as shared_facts
    from fact_entities as other
    where other.fact_no in (select mine.fact_no from fact_entities as mine where mine.entity_id = $entity_id
                            order by mine.fact_no limit $window)
      and other.entity_id <> $entity_id
    group by other.entity_id
),
family as (
    select e.entity_id, 0 as shared_facts
    from entities as e
    where e.parent_id = $entity_id
       or e.entity_id = (select p.parent_id from entities as p where p.entity_id = $entity_id)
),
related as (
    select
        e.entity_id,
        e.name,
        e.entity_type,
        e.country,
        max(x.shared_facts) as shared_facts,
        case
            when e.entity_id = (select p.parent_id from entities as p where p.entity_id = $entity_id) then 'parent'
            when e.parent_id = $entity_id then 'part of it'
            else 'named in the same facts'
        end as relation
    from (select * from shared union all select * from family) as x
    join entities as e on e.entity_id = x.entity_id
    group by all
)
select r.entity_id, r.name, r.entity_type, r.country, r.shared_facts, r.relation
from related as r
order by r.relation = 'parent' desc, r.relation = 'part of it' desc, r.shared_facts desc, r.name
limit 25
