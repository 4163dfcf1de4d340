-- for the company comparison: one row per mass-production fact on the track of a company in
-- $company_ids that has a value, with its date as the text gives it (basis, precision, hedge)
-- and its citation; tracker/compare.py decides which of them a gap may rest on
select
    c.company_id,
    coalesce(short_name(e.name, e.aliases), 'Unattributed') as company_name,
    f.fact_id,
    c.metric,
    f.value,
    f.value_high,
    f.value_qualifier,
    f.unit,
    f.value_label,
    f.status,
    f.fact_date,
    f.date_end,
    f.date_precision,
    f.date_qualifier,
    f.date_label,
    f.date_basis,
    f.date_note,
    f.title,
    s.title as source_title,
    f.source_line,
    f.evidence
from facts_in_view($entity_ids, $date_from, $date_to, null, $topics, $countries, $statuses, $search) as f
join chip_nodes as c on c.fact_no = f.fact_no
join sources as s on s.source_id = f.source_id
left join entities as e on e.entity_id = c.company_id
where c.metric = $metric and f.unit is not distinct from $unit
  and f.status = 'mass_production' and f.value is not null
  and list_contains($company_ids, c.company_id)
order by company_name, f.fact_date nulls last, f.fact_id
