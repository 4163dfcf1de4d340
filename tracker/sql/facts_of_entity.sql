-- one row per fact naming the entity (in any role) that passes the shared date and search filters,
-- newest first (or $sort 'oldest': oldest first, undated last), with its citation.
-- $limit/$offset page through it.
with picked as (
    select
        f.fact_no,
        date_order(f.fact_no, f.fact_date, $sort = 'oldest') as ord
    from facts_in_view([$entity_id], $date_from, $date_to, null, null, null, null, $search) as f
    order by ord
    limit $limit offset $offset
),
roles as (  -- only for the page: a much-cited entity has hundreds of thousands of links
    select fe.fact_no, string_agg(distinct fe.role, ', ' order by fe.role) as roles
    from fact_entities as fe
    where fe.entity_id = $entity_id and fe.fact_no in (select fact_no from picked)
    group by fe.fact_no
),
page as (
    select f.*, r.roles, p.ord
    from picked as p
    join roles as r on r.fact_no = p.fact_no
    join facts as f on f.fact_no = p.fact_no
)
select
    f.fact_id,
    f.fact_date,
    f.date_precision,
    f.date_qualifier,
    f.date_label,
    f.date_basis,
    f.kind,
    f.status,
    f.title,
    f.value,
    f.value_high,
    f.value_qualifier,
    f.unit,
    f.value_label,
    f.is_disputed,
    f.roles,
    s.title as source_title,
    f.source_id,
    f.source_line,
    f.evidence
from page as f
join sources as s on s.source_id = f.source_id
order by f.ord
