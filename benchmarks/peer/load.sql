-- Fills the tables of schema.sql from `stage` (seq = line number, doc = the JSON line), which the
-- loader has filled with COPY in the same transaction. Then the indexes the queries use.
-- Assumes what a fresh capledger store assumes of a generated world: every line is stored, so
-- the event on line n has seq n.

analyze stage;

insert into event (seq, recorded_at, event_id, type, effective, body)
select seq, (doc->>'recorded_at')::timestamptz, doc->>'id', doc->>'type', (doc->>'effective')::date, doc
from stage;

insert into retraction (seq, target_seq)
select e.seq, t.seq
from event e join event t on t.event_id = e.body->>'target'
where e.type = 'EventRetracted';

-- The first retraction of each target ends its knowledge interval.
create temp table void on commit drop as
select target_seq as seq, min(seq) as retracted_seq from retraction group by target_seq;
analyze void;

insert into clinic (clinic_no, clinic_id)
select row_number() over (order by c), c
from (select distinct doc->>'clinic' collate "C" as c from stage where doc ? 'clinic') ids;

do $$ begin
  if (select max(seq) from stage) >= 2 ^ 30 or (select count(*) from clinic) >= 4095 then
    raise exception 'the world is too large for resident_event.fold_key';
  end if;
end $$;

insert into resident_event (pnr, effective, seq, retracted_seq, kind, clinic, listing_key, status_key,
                            unlisting_key)
select p.pnr, p.effective, p.seq, p.retracted_seq, p.kind, p.clinic,
       case when p.kind in ('L', 'X') then p.fold_key end,
       case when p.kind in ('R', 'X') then p.fold_key end,
       case when p.kind = 'U' then p.fold_key end
from (
  select q.*, (((q.effective - date '1800-01-01')::bigint << 30) + q.seq) * 4096
              + case q.kind when 'R' then 4095 when 'X' then 0 else q.clinic end as fold_key
  from (
    select replace(s.doc->>'personnummer', '-', '')::bigint as pnr, (s.doc->>'effective')::date as effective, s.seq::int as seq,
           coalesce(v.retracted_seq, 2147483647) as retracted_seq,
           (case s.doc->>'type' when 'ResidentRegistered' then 'R' when 'PatientListed' then 'L'
                                when 'PatientUnlisted' then 'U' else 'X' end)::"char" as kind,
           c.clinic_no as clinic
    from stage s
    left join clinic c on c.clinic_id = s.doc->>'clinic'
    left join void v on v.seq = s.seq
    where s.doc->>'type' in ('ResidentRegistered', 'ResidentMovedOut', 'ResidentDied', 'PatientListed',
                             'PatientUnlisted')) q) p;

insert into clinic_event (clinic, seq, retracted_seq, kind, effective, distance_tenths)
select c.clinic_no, s.seq, coalesce(v.retracted_seq, 2147483647),
       case s.doc->>'type' when 'ClinicRegistered' then 'R' when 'ClinicChanged' then 'H' else 'C' end,
       (s.doc->>'effective')::date, replace(s.doc->>'distance_to_hospital_km', '.', '')::int
from stage s
join clinic c on c.clinic_id = s.doc->>'clinic'
left join void v on v.seq = s.seq
where s.doc->>'type' in ('ClinicRegistered', 'ClinicChanged', 'ClinicClosed');

create function pg_temp.ore(money_text text) returns bigint language sql immutable
  as $$ select replace(money_text, '.', '')::bigint $$;

insert into rulebook
select s.seq, coalesce(v.retracted_seq, 2147483647), r->>'id', (r->>'valid_from')::date,
       (r->>'valid_until')::date, r->>'snapshot', pg_temp.ore(r->'performance'->>'amount'),
       pg_temp.ore(r->'visits'->>'home_visit'), pg_temp.ore(r->'visits'->>'other_listed'),
       pg_temp.ore(r->'visits'->>'unlisted'), pg_temp.ore(r->'visits'->>'out_of_region'),
       pg_temp.ore(r->'start_grant'->>'amount'), (r->'start_grant'->>'months')::int,
       (r->'cni_supplement'->>'top_n')::int, pg_temp.ore(r->'cni_supplement'->>'amount'),
       jsonb_array_length(r->'distance_supplement'->'bands')
from stage s
cross join lateral (select s.doc->'rulebook' as r) rb
left join void v on v.seq = s.seq
where s.doc->>'type' = 'RulebookPublished';

insert into rulebook_band (rulebook_seq, min_age, max_age, amount_ore)
select s.seq, (b->>'min_age')::int, lead((b->>'min_age')::int) over (partition by s.seq order by (b->>'min_age')::int),
       pg_temp.ore(b->>'amount')
from stage s
cross join lateral jsonb_array_elements(s.doc->'rulebook'->'capitation'->'bands') b
where s.doc->>'type' = 'RulebookPublished';

insert into rulebook_distance_band (rulebook_seq, min_km_tenths, amount_ore)
select s.seq, replace(b->>'min_km', '.', '')::int, pg_temp.ore(b->>'amount')
from stage s
cross join lateral jsonb_array_elements(s.doc->'rulebook'->'distance_supplement'->'bands') b
where s.doc->>'type' = 'RulebookPublished';

insert into rulebook_mission (rulebook_seq, mission, kind, basis, amount_ore, min_age, max_age)
select s.seq, m->>'id', m->>'kind', m->>'basis', pg_temp.ore(m->>'amount'), (m->>'min_age')::int, (m->>'max_age')::int
from stage s
cross join lateral jsonb_array_elements(coalesce(s.doc->'rulebook'->'missions', '[]'::jsonb)) m
where s.doc->>'type' = 'RulebookPublished';

insert into mission_event (clinic, mission, seq, retracted_seq, effective, undertaken, units)
select c.clinic_no, s.doc->>'mission', s.seq, coalesce(v.retracted_seq, 2147483647), (s.doc->>'effective')::date,
       s.doc->>'type' = 'MissionUndertaken', (s.doc->>'units')::bigint
from stage s
join clinic c on c.clinic_id = s.doc->>'clinic'
left join void v on v.seq = s.seq
where s.doc->>'type' in ('MissionUndertaken', 'MissionEnded');

-- SCB's index in hundredths: Σ weight × hits with the weights of DOMAIN.md §6.2 × 100; then
-- CNI × 10000 = index / 100 / population / 2.476 × 10000 = index × 100000 / (population × 2476),
-- truncated. A delivered cni equals it (ingest rejects a mismatch) and is taken as delivered.
insert into cni_report (clinic, seq, retracted_seq, effective, cni_tt)
select c.clinic_no, s.seq, coalesce(v.retracted_seq, 2147483647), (s.doc->>'effective')::date,
       coalesce(replace(s.doc->>'cni', '.', '')::bigint,
                (615 * (h->>'over_65_alone')::bigint + 572 * (h->>'born_abroad')::bigint
                 + 513 * (h->>'unemployed')::bigint + 419 * (h->>'single_parent')::bigint
                 + 419 * (h->>'moved_in')::bigint + 397 * (h->>'low_education')::bigint
                 + 323 * (h->>'under_5')::bigint) * 100000 / ((s.doc->>'population')::bigint * 2476))
from stage s
cross join lateral (select s.doc->'hits' as h) hh
join clinic c on c.clinic_id = s.doc->>'clinic'
left join void v on v.seq = s.seq
where s.doc->>'type' = 'CniReported';

create function pg_temp.month_ordinal(month_text text) returns int language sql immutable
  as $$ select substr(month_text, 1, 4)::int * 12 + substr(month_text, 6, 2)::int - 1 $$;

insert into performance_report (clinic, seq, retracted_seq, from_month, to_month, fulfilment_milli)
select c.clinic_no, s.seq, coalesce(v.retracted_seq, 2147483647), pg_temp.month_ordinal(s.doc->>'period_from'),
       pg_temp.month_ordinal(s.doc->>'period_to'), replace(s.doc->>'fulfilment', '.', '')::int
from stage s
join clinic c on c.clinic_id = s.doc->>'clinic'
left join void v on v.seq = s.seq
where s.doc->>'type' = 'PerformanceReported';

insert into visits_report (clinic, month, seq, retracted_seq, home_visits, other_listed, unlisted, out_of_region)
select c.clinic_no, pg_temp.month_ordinal(s.doc->>'month'), s.seq, coalesce(v.retracted_seq, 2147483647),
       (n->>'home_visits')::bigint, (n->>'other_listed')::bigint, (n->>'unlisted')::bigint,
       (n->>'out_of_region')::bigint
from stage s
cross join lateral (select s.doc->'counts' as n) nn
join clinic c on c.clinic_id = s.doc->>'clinic'
left join void v on v.seq = s.seq
where s.doc->>'type' = 'VisitsReported';

-- The fold reads every resident's events in resident order, so that the grouping by resident
-- streams without a sort or a hash; the index covers every column it reads (index-only scan).
create index resident_fold on resident_event (pnr)
  include (effective, seq, retracted_seq, listing_key, status_key, unlisting_key);
-- Unlistings, checked against the listing the fold ended on when one follows it.
create index resident_unlisting on resident_event (pnr, clinic, unlisting_key)
  include (effective, seq, retracted_seq) where kind = 'U';
-- One clinic's candidates: every resident ever listed there.
create index resident_listed_at on resident_event (clinic, pnr) include (effective, seq, retracted_seq)
  where kind = 'L';
create index clinic_event_by_clinic on clinic_event (clinic, kind, seq);
create index cni_by_clinic on cni_report (clinic, effective, seq);
create index performance_by_clinic on performance_report (clinic, seq);
create index visits_by_clinic_month on visits_report (clinic, month, seq);
create index mission_by_clinic on mission_event (clinic, mission, effective, seq);
create index event_recorded_at on event (recorded_at);
