-- one row per fact naming the entity (in any role), newest first, with its citation
select
    f.fact_id,
    f.fact_date,
    f.date_precision,
    f.date_basis,
    f.kind,
    f.status,
    f.title,
    f.is_disputed,
    string_agg(distinct fe.role, ', ') as roles,
    s.title as source_title,
    f.source_id,
    f.source_line,
    f.evidence
from fact_entities as fe
join facts as f on f.fact_id = fe.fact_id
join sources as s on s.source_id = f.source_id
where fe.entity_id = $entity_id
group by all
order by f.fact_date desc nulls last, f.fact_id
