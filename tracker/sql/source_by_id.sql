-- one source document by id
select s.source_id, s.title as source_title, s.publisher, s.published_date, s.published_precision, s.published_label,
       s.published_basis, s.url, s.corpus_file, s.line_start, s.line_end, s.fact_count
from sources as s
where s.source_id = $source_id
