-- Compares a capledger report (the JSON of `capledger --json report`, DESIGN.md §4) with
-- month_report for the same month, K and clinic: one row per difference, none when they agree
-- to the öre. Compared: the snapshot date, the rulebook, the set of clinics, and per clinic the
-- listed count, the seven components and the total, and the report's total.

create or replace function ore_of(kronor text) returns bigint language sql immutable
  as $$ select replace(kronor, '.', '')::bigint $$;

create or replace function report_differences(p_month text, p_k int, p_clinic text, theirs jsonb)
returns table (clinic text, field text, capledger text, postgresql text)
language sql as $$
  with ours as (
    select * from month_report(p_month, p_k, p_clinic)
  ), their_lines as (
    select c->>'clinic' as clinic, (c->>'listed')::bigint as listed,
           ore_of(c->'amounts'->>'capitation') as capitation, ore_of(c->'amounts'->>'performance') as performance,
           ore_of(c->'amounts'->>'visits') as visits, ore_of(c->'amounts'->>'start_grant') as start_grant,
           ore_of(c->'amounts'->>'cni_supplement') as cni_supplement,
           ore_of(c->'amounts'->>'distance_supplement') as distance_supplement,
           ore_of(c->'amounts'->>'missions') as missions, ore_of(c->>'total') as total
    from jsonb_array_elements(theirs->'clinics') c
  ), pairs as (
    select coalesce(t.clinic, o.clinic) as clinic, f.field, f.theirs, f.ours,
           t.clinic is not null and o.clinic is not null as on_both
    from their_lines t
    full join ours o on o.clinic = t.clinic
    cross join lateral (values
      ('present', (t.clinic is not null)::text, (o.clinic is not null)::text),
      ('listed', t.listed::text, o.listed::text),
      ('capitation', t.capitation::text, o.capitation::text),
      ('performance', t.performance::text, o.performance::text),
      ('visits', t.visits::text, o.visits::text),
      ('start_grant', t.start_grant::text, o.start_grant::text),
      ('cni_supplement', t.cni_supplement::text, o.cni_supplement::text),
      ('distance_supplement', t.distance_supplement::text, o.distance_supplement::text),
      ('missions', t.missions::text, o.missions::text),
      ('total', t.total::text, o.total::text)) f(field, theirs, ours)
    union all
    select '', 'snapshot_date', theirs->>'snapshot_date', (select min(snapshot)::text from ours), true
    where exists (select 1 from ours)
    union all
    select '', 'rulebook', theirs->>'rulebook', (select min(rulebook_id) from ours), true
    where exists (select 1 from ours)
    union all
    select '', 'total', ore_of(theirs->>'total')::text, (select coalesce(sum(total), 0)::text from ours), true
  )
  -- A clinic on one side only is one row ('present'); a field missing from a clinic on both
  -- sides (null on one of them) is a difference.
  select clinic, field, theirs, ours from pairs
  where theirs is distinct from ours and (field = 'present' or on_both)
  order by clinic, field
$$;
