-- one row per fact citing the source, in line order. $limit/$offset page through it.
select
    f.fact_id,
    f.source_line,
    f.kind,
    f.status,
    f.title,
    f.fact_date,
    f.date_precision,
    f.date_basis,
    f.is_disputed,
    f.evidence
from facts as f
where f.source_id = $source_id
order by f.source_line, f.fact_id
limit $limit offset $offset
