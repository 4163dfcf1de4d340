-- one row per source document, with how many facts in view cite it; newest first.
-- $limit/$offset page through it.
with cited as (
    select f.source_id, count(*) as facts_in_view
    from facts_in_view($entity_ids, $date_from, $date_to, null, null, null, null, $search) as f
    group by f.source_id
)
select
    s.source_id,
    s.title as source_title,
    s.publisher,
    s.published_date,
    s.published_precision,
    s.published_label,
    s.published_basis,
    s.doc_type,
    s.authors,
    s.url,
    s.corpus_file,
    s.line_start,
    s.line_end,
    s.fact_count,
    coalesce(c.facts_in_view, 0) as facts_in_view
from sources as s
left join cited as c on c.source_id = s.source_id
order by s.published_date desc nulls last, s.source_id
limit $limit offset $offset
