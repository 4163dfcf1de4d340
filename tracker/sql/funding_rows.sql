-- the funding facts in view (the rows funding.sql shows), each with `ord`, its sort key; tracker/read.py
-- pages, counts or takes them all. $sort: amount_desc, amount_asc, newest, oldest
select f.fact_no, {
    'missing': $sort like 'amount%' and f.amount_usd is null,
    'amount': case $sort when 'amount_desc' then -coalesce(f.amount_usd, 0)
                         when 'amount_asc' then coalesce(f.amount_usd, 0) else 0 end,
    'date': date_order(f.fact_no, f.fact_date, $sort = 'oldest'),
    'no': f.fact_no} as ord
from facts_in_view($entity_ids, $date_from, $date_to, null, null, $countries, $statuses, $search) as f
join funding as g on g.fact_no = f.fact_no
where ($funding_types is null or list_contains($funding_types, g.funding_type))
