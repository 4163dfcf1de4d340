-- one row per entity a fact names, in the annotator's order, with where the fact names it
select
    e.entity_id,
    e.name,
    e.entity_type,
    e.country,
    string_agg(fe.role, ', ' order by fe.role) as roles,
    min(list_position(f.entity_ids, e.entity_id)) as position
from facts as f
join fact_entities as fe on fe.fact_no = f.fact_no
join entities as e on e.entity_id = fe.entity_id
where f.fact_id = $fact_id
group by all
order by position, e.name
