-- every source's id and title, newest first, for the document picker
select s.source_id, s.title as source_title
from sources as s
order by s.published_date desc nulls last, s.source_id
