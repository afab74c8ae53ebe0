-- The calculation of DOMAIN.md §6 in SQL: every open clinic's listed count per band and every
-- component for a month as known at K (a log seq). Everything reads only facts visible at K:
-- seq <= K < retracted_seq.
--
--   select * from month_report('2024-03', 123456);            -- every open clinic
--   select * from month_report('2024-03', 123456, 'VC-0012'); -- one clinic
--
-- Amounts are integer öre, each computed exactly in numeric and rounded once, half away from
-- zero (PostgreSQL's round(numeric) does exactly that).

-- YYYYMMDD of a date: ages in completed years are (ymd(D) - birth_ymd) / 10000, which also
-- reaches a 29 February birthday on 1 March in other years (20010301 - 20000229 = 10072).
create or replace function ymd(d date) returns int language sql immutable parallel safe
  as $$ select (extract(year from d) * 10000 + extract(month from d) * 100 + extract(day from d))::int $$;

-- The birth date of a personnummer as YYYYMMDD (a samordningsnummer has day + 60).
create or replace function birth_ymd(pnr bigint) returns int language sql immutable parallel safe
  as $$ select case when pnr / 10000 % 100 > 60 then pnr / 10000 - 60 else pnr / 10000 end::int $$;

create or replace function month_ordinal(first_day date) returns int language sql immutable parallel safe
  as $$ select (extract(year from first_day) * 12 + extract(month from first_day) - 1)::int $$;

-- D of a month under a rulebook's snapshot rule (§5).
create or replace function snapshot_date(rule text, first_day date) returns date language sql immutable parallel safe as $$
  select case rule when 'last_day_of_month' then (first_day + interval '1 month')::date - 1
                   when 'first_day_of_month' then first_day
                   when 'last_day_of_previous_month' then first_day - 1 end
$$;

-- §6.1: the rulebook in force for the month starting first_day as known at K, the one published
-- last among those whose validity covers first_day; all nulls if none.
create or replace function rulebook_in_force(first_day date, k int) returns rulebook language sql stable as $$
  select * from rulebook r
  where r.seq <= k and r.retracted_seq > k and r.valid_from <= first_day and first_day < r.valid_until
  order by r.seq desc limit 1
$$;

-- The tag of a fold key (schema.sql): a clinic number, 0 for an end, 4095 for a registration.
create or replace function fold_tag(fold_key bigint) returns int language sql immutable parallel safe
  as $$ select (fold_key & 4095)::int $$;

-- §6.2, every clinic: the residents counted on D, as (clinic, age, n).
--
-- The fold of a resident's visible events effective on or before D comes from three arg-max
-- values over the resident's rows (see resident_event): the last listing-stream event
-- (PatientListed at x, or an end: moved out, died), the last status-stream event
-- (ResidentRegistered or an end) and the last unlisting. The resident counts at x when the
-- listing stream ends on PatientListed at x, the status stream on a registration, no
-- PatientUnlisted at x follows that listing (an unlisting at another clinic is an anomaly and
-- changes nothing), and the resident is born on D. One pass over the fold index in resident
-- order computes the three values; a resident whose last unlisting follows the listing (a few
-- per month) is checked against the unlisting index.
create or replace function listed_ages(d date, k int) returns table (clinic smallint, age int, n bigint)
language sql stable as $$
  select fold_tag(f.listing)::smallint, (ymd(d) - birth_ymd(f.pnr)) / 10000, count(*)
  from (
    select e.pnr, max(e.listing_key) as listing, max(e.status_key) as status, max(e.unlisting_key) as unlisting
    from resident_event e
    where e.effective <= d and e.seq <= k and e.retracted_seq > k
    group by e.pnr
  ) f
  where fold_tag(f.listing) between 1 and 4094 and fold_tag(f.status) = 4095 and birth_ymd(f.pnr) <= ymd(d)
    and (f.unlisting is null or f.unlisting < f.listing
         or not exists (select 1 from resident_event u
                        where u.kind = 'U' and u.pnr = f.pnr and u.clinic = fold_tag(f.listing)
                          and u.unlisting_key > f.listing and u.effective <= d and u.seq <= k
                          and u.retracted_seq > k))
  group by 1, 2
$$;

-- §6.2, one clinic c: the same fold for the residents ever listed at c only (an index range),
-- each folded by one index range scan. An EXISTS over it stops at the first counted resident.
create or replace function listed_at(c smallint, d date, k int) returns table (pnr bigint, age int)
language sql stable as $$
  select cand.pnr, (ymd(d) - birth_ymd(cand.pnr)) / 10000
  from (select distinct e.pnr from resident_event e
        where e.kind = 'L' and e.clinic = c and e.effective <= d and e.seq <= k and e.retracted_seq > k) cand
  cross join lateral (
    select max(e.listing_key) as listing, max(e.status_key) as status, max(e.unlisting_key) as unlisting
    from resident_event e
    where e.pnr = cand.pnr and e.effective <= d and e.seq <= k and e.retracted_seq > k) f
  where fold_tag(f.listing) = c and fold_tag(f.status) = 4095 and birth_ymd(cand.pnr) <= ymd(d)
    and (f.unlisting is null or f.unlisting < f.listing
         or not exists (select 1 from resident_event u
                        where u.kind = 'U' and u.pnr = cand.pnr and u.clinic = c
                          and u.unlisting_key > f.listing and u.effective <= d and u.seq <= k
                          and u.retracted_seq > k))
$$;

-- The counted residents per (clinic, age): every clinic, or only clinic `only_clinic`.
--
-- The plan, checked with EXPLAIN ANALYZE: the fold is fastest as a GroupAggregate streaming over
-- an index-only scan of resident_fold (no hash table of 300,000 residents, no sort), and the
-- count per (clinic, age) as a HashAggregate of a few thousand groups. The planner's estimate of
-- the rows left after the fold's filters is far too low, so left alone it hashes the fold over a
-- sequential scan and sorts before the count, both slower; seqscan and sort are turned off here.
create or replace function counted_ages(d date, k int, only_clinic smallint) returns table (clinic smallint, age int, n bigint)
language plpgsql stable
set plan_cache_mode = force_custom_plan set enable_seqscan = off set enable_sort = off as $$
begin
  if only_clinic is null then
    return query select * from listed_ages(d, k);
  else
    return query select only_clinic, l.age, count(*) from listed_at(only_clinic, d, k) l group by l.age;
  end if;
end
$$;

-- §6.2: the clinics open on D as known at K, with their opening date (the latest registration
-- by seq), and their attributes on D: distance and CNI (latest effective on or before D, ties by
-- the highest seq), the fulfilment of the latest performance report covering month m, and the
-- latest visits report for m.
create or replace function clinic_facts(d date, m int, k int)
returns table (clinic smallint, clinic_id text, opened date, distance_tenths int, cni_tt bigint,
               fulfilment_milli int, home_visits bigint, other_listed bigint, unlisted bigint,
               out_of_region bigint)
language sql stable as $$
  select c.clinic_no, c.clinic_id, o.effective, dist.distance_tenths, cni.cni_tt, perf.fulfilment_milli,
         vis.home_visits, vis.other_listed, vis.unlisted, vis.out_of_region
  from clinic c
  cross join lateral (
    select r.effective from clinic_event r
    where r.clinic = c.clinic_no and r.kind = 'R' and r.seq <= k and r.retracted_seq > k
    order by r.seq desc limit 1) o
  left join lateral (
    select x.distance_tenths from clinic_event x
    where x.clinic = c.clinic_no and x.distance_tenths is not null and x.effective <= d
      and x.seq <= k and x.retracted_seq > k
    order by x.effective desc, x.seq desc limit 1) dist on true
  left join lateral (
    select x.cni_tt from cni_report x
    where x.clinic = c.clinic_no and x.effective <= d and x.seq <= k and x.retracted_seq > k
    order by x.effective desc, x.seq desc limit 1) cni on true
  left join lateral (
    select x.fulfilment_milli from performance_report x
    where x.clinic = c.clinic_no and x.from_month <= m and m <= x.to_month and x.seq <= k and x.retracted_seq > k
    order by x.seq desc limit 1) perf on true
  left join lateral (
    select x.home_visits, x.other_listed, x.unlisted, x.out_of_region from visits_report x
    where x.clinic = c.clinic_no and x.month = m and x.seq <= k and x.retracted_seq > k
    order by x.seq desc limit 1) vis on true
  where o.effective <= d
    and not exists (select 1 from clinic_event z
                    where z.clinic = c.clinic_no and z.kind = 'C' and z.effective <= d
                      and z.seq <= k and z.retracted_seq > k)
$$;

-- §9: the optional missions each clinic offers on D as known at K, with the units of the
-- undertaking: for each (clinic, mission), the latest MissionUndertaken / MissionEnded effective on
-- or before D (ties by the highest seq) is a MissionUndertaken. Whether the rulebook lists the
-- mission, and how, is month_report's to decide.
create or replace function offered_missions(d date, k int) returns table (clinic smallint, mission text, units bigint)
language sql stable as $$
  select l.clinic, l.mission, l.units
  from (select distinct on (e.clinic, e.mission) e.clinic, e.mission, e.undertaken, e.units
        from mission_event e
        where e.effective <= d and e.seq <= k and e.retracted_seq > k
        order by e.clinic, e.mission, e.effective desc, e.seq desc) l
  where l.undertaken
$$;

-- §6.3: the visits of a month at the rates of rulebook rb, in öre; 0 without a [visits] table
-- or a report (null counts).
create or replace function visits_ore(rb rulebook, home bigint, other_listed bigint, unlisted bigint,
                                      out_of_region bigint) returns bigint language sql immutable as $$
  select case when rb.home_visit_ore is not null and home is not null
              then home * rb.home_visit_ore + other_listed * rb.other_listed_ore + unlisted * rb.unlisted_ore
                   + out_of_region * rb.out_of_region_ore
              else 0 end
$$;

-- §6.2: clinic c is open on d as known at K: its latest registration by seq is effective on or
-- before d, and no closure is effective on or before d.
create or replace function clinic_open_on(c smallint, d date, k int) returns boolean language sql stable as $$
  select coalesce((select r.effective <= d from clinic_event r
                   where r.clinic = c and r.kind = 'R' and r.seq <= k and r.retracted_seq > k
                   order by r.seq desc limit 1), false)
     and not exists (select 1 from clinic_event z
                     where z.clinic = c and z.kind = 'C' and z.effective <= d and z.seq <= k and z.retracted_seq > k)
$$;

-- §6.3, visits paid for work done: the clinics not open on D that were open on some day of the
-- month starting first_day (month ordinal m) and have a visits report for it. A clinic is open
-- from its opening to its first closure, so the month's first open day, if any, is the later of
-- first_day and the opening.
create or replace function visits_only_facts(d date, first_day date, m int, k int)
returns table (clinic smallint, clinic_id text, home_visits bigint, other_listed bigint, unlisted bigint,
               out_of_region bigint)
language sql stable as $$
  select c.clinic_no, c.clinic_id, vis.home_visits, vis.other_listed, vis.unlisted, vis.out_of_region
  from clinic c
  cross join lateral (
    select r.effective from clinic_event r
    where r.clinic = c.clinic_no and r.kind = 'R' and r.seq <= k and r.retracted_seq > k
    order by r.seq desc limit 1) o
  cross join lateral (
    select x.home_visits, x.other_listed, x.unlisted, x.out_of_region from visits_report x
    where x.clinic = c.clinic_no and x.month = m and x.seq <= k and x.retracted_seq > k
    order by x.seq desc limit 1) vis
  where not clinic_open_on(c.clinic_no, d, k)
    and greatest(o.effective, first_day) <= (first_day + interval '1 month')::date - 1
    and clinic_open_on(c.clinic_no, greatest(o.effective, first_day), k)
$$;

-- The month report: one row per open clinic (or only p_clinic, which must be open on D), by
-- clinic id, with the listed count N, the count per capitation band (in min_age order) and the
-- seven components and their total in öre. Raises no_data_found when no rulebook is in force, or p_clinic is not open on D.
create or replace function month_report(p_month text, p_k int, p_clinic text default null)
returns table (clinic text, listed bigint, band_counts bigint[], capitation bigint, performance bigint, visits bigint,
               start_grant bigint, cni_supplement bigint, distance_supplement bigint, missions bigint, total bigint,
               snapshot date, rulebook_id text)
language plpgsql stable set plan_cache_mode = force_custom_plan as $$
declare
  first_day constant date := (p_month || '-01')::date;
  m constant int := month_ordinal((p_month || '-01')::date);
  rb rulebook;
  d date;
  only_clinic smallint;
begin
  rb := rulebook_in_force(first_day, p_k);
  if rb.seq is null then
    raise no_data_found using message = format('no rulebook is in force for %s as known at seq %s', p_month, p_k);
  end if;
  d := snapshot_date(rb.snapshot, first_day);
  if p_clinic is not null then
    select c.clinic_no into only_clinic from clinic c where c.clinic_id = p_clinic;
    if only_clinic is null
       or (not exists (select 1 from clinic_facts(d, m, p_k) f where f.clinic = only_clinic)
           and not exists (select 1 from visits_only_facts(d, first_day, m, p_k) v where v.clinic = only_clinic)) then
      raise no_data_found using message = format('clinic %s is not open on %s and has no visits paid for %s as known at seq %s',
                                                 p_clinic, d, p_month, p_k);
    end if;
  end if;
  return query
  with facts as materialized (
    select * from clinic_facts(d, m, p_k) f where only_clinic is null or f.clinic = only_clinic or rb.cni_top_n is not null
  ), ages as materialized (
    select * from counted_ages(d, p_k, only_clinic)
  ), per_band as (
    -- n_b: the listed residents per capitation band of the rulebook in force.
    select a.clinic, b.min_age, b.amount_ore, sum(a.n)::bigint as n
    from ages a
    join rulebook_band b on b.rulebook_seq = rb.seq and a.age >= b.min_age and (b.max_age is null or a.age < b.max_age)
    group by a.clinic, b.min_age, b.amount_ore
  ), counts as (
    -- N = Σ_b n_b, and Σ_b n_b × amount_b.
    select pb.clinic, sum(pb.n)::bigint as n, sum(pb.n * pb.amount_ore) as capitation_12
    from per_band pb
    group by pb.clinic
  ), band_vectors as (
    -- n_b for every band in min_age order, zeros included.
    select f.clinic, array_agg(coalesce(pb.n, 0) order by b.min_age) as band_counts
    from facts f
    cross join rulebook_band b
    left join per_band pb on pb.clinic = f.clinic and pb.min_age = b.min_age
    where b.rulebook_seq = rb.seq
    group by f.clinic
  ), cni_target as (
    select f.cni_tt, f.clinic_id from facts f where f.clinic = only_clinic
  ), cni_ranked as (
    -- §6.3: open clinics with N > 0 and a CNI on D, highest first, ties by clinic id. For one
    -- clinic, only those ranked at or above it matter, and N > 0 is an EXISTS.
    select f.clinic, row_number() over (order by f.cni_tt desc, f.clinic_id) as place
    from facts f
    where rb.cni_top_n is not null and f.cni_tt is not null
      and (only_clinic is null
           or exists (select 1 from cni_target t
                      where f.cni_tt > t.cni_tt or (f.cni_tt = t.cni_tt and f.clinic_id <= t.clinic_id)))
      and case when only_clinic is null or f.clinic = only_clinic then exists (select 1 from ages a where a.clinic = f.clinic)
               else exists (select 1 from listed_at(f.clinic, d, p_k)) end
  ), grant_base as materialized (
    -- §6.3: the start grant under the rulebook in force for the opening month O, as known at K.
    select f.clinic, date_trunc('month', f.opened)::date as opened_month, g.start_grant_ore, g.start_grant_months
    from facts f
    cross join lateral rulebook_in_force(date_trunc('month', f.opened)::date, p_k) g
    where g.start_grant_ore is not null
  ), grant_rule as (
    -- Part 1 belongs to O', the first month from O on whose snapshot date (under that month's
    -- rulebook) the clinic is open; a later O' than O + months leaves no part to pay.
    select gb.clinic, gb.start_grant_ore, gb.start_grant_months, m - fp.ordinal as part
    from grant_base gb
    cross join lateral (
      select min(month_ordinal(mm::date)) as ordinal
      from generate_series(gb.opened_month, least(first_day, (gb.opened_month + gb.start_grant_months * interval '1 month')::date),
                           interval '1 month') mm
      cross join lateral rulebook_in_force(mm::date, p_k) r
      where r.seq is not null and clinic_open_on(gb.clinic, snapshot_date(r.snapshot, mm::date), p_k)) fp
  ), mission_parts as (
    -- §9, per open clinic: Σ part × 12 over the missions it offers on D that the rulebook in
    -- force lists as optional: fixed amount × 12, per_unit units × amount (none without units),
    -- per_listed (the counted residents with min_age <= age < max_age) × amount. A mission it does
    -- not list, or lists as base, is paid nothing.
    select o.clinic,
           sum(case rm.basis
                 when 'fixed' then rm.amount_ore * 12
                 when 'per_unit' then coalesce(o.units, 0) * rm.amount_ore
                 when 'per_listed' then
                   (select coalesce(sum(a.n), 0) from ages a
                    where a.clinic = o.clinic and a.age >= coalesce(rm.min_age, 0)
                      and (rm.max_age is null or a.age < rm.max_age)) * rm.amount_ore
               end) as missions_12
    from offered_missions(d, p_k) o
    join facts f on f.clinic = o.clinic
    join rulebook_mission rm on rm.rulebook_seq = rb.seq and rm.mission = o.mission and rm.kind = 'optional'
    where only_clinic is null or o.clinic = only_clinic
    group by o.clinic
  ), amounts as (
    select f.clinic_id, coalesce(n.n, 0) as listed, bv.band_counts,
      round(coalesce(n.capitation_12, 0)::numeric / 12)::bigint as capitation,
      case when rb.performance_ore is not null and f.fulfilment_milli is not null
           then round(coalesce(n.n, 0)::numeric * rb.performance_ore * f.fulfilment_milli / 12000)::bigint
           else 0 end as performance,
      visits_ore(rb, f.home_visits, f.other_listed, f.unlisted, f.out_of_region) as visits,
      case when g.part is null or g.part < 0 or g.part >= g.start_grant_months then 0
           when g.part < g.start_grant_months - 1 then round(g.start_grant_ore::numeric / g.start_grant_months)::bigint
           else g.start_grant_ore - (g.start_grant_months - 1) * round(g.start_grant_ore::numeric / g.start_grant_months)::bigint
      end as start_grant,
      case when r.place <= rb.cni_top_n then round(coalesce(n.n, 0)::numeric * rb.cni_ore / 12)::bigint else 0 end
        as cni_supplement,
      coalesce(round(coalesce(n.n, 0)::numeric *
        (select db.amount_ore from rulebook_distance_band db
         where db.rulebook_seq = rb.seq and db.min_km_tenths <= f.distance_tenths
         order by db.min_km_tenths desc limit 1) / 12)::bigint, 0) as distance_supplement,
      round(coalesce(mp.missions_12, 0)::numeric / 12)::bigint as missions
    from facts f
    left join counts n on n.clinic = f.clinic
    left join mission_parts mp on mp.clinic = f.clinic
    left join cni_ranked r on r.clinic = f.clinic
    left join grant_rule g on g.clinic = f.clinic
    left join band_vectors bv on bv.clinic = f.clinic
    where only_clinic is null or f.clinic = only_clinic
  ), visits_only as (
    -- §6.3: a clinic not open on D, open on a day of M: its visits alone, nobody counted.
    select v.clinic_id, 0::bigint as listed,
      (select array_agg(0::bigint order by b.min_age) from rulebook_band b where b.rulebook_seq = rb.seq) as band_counts,
      0::bigint as capitation, 0::bigint as performance,
      visits_ore(rb, v.home_visits, v.other_listed, v.unlisted, v.out_of_region) as visits,
      0::bigint as start_grant, 0::bigint as cni_supplement, 0::bigint as distance_supplement, 0::bigint as missions
    from visits_only_facts(d, first_day, m, p_k) v
    where only_clinic is null or v.clinic = only_clinic
  ), all_lines as (
    select * from amounts union all select * from visits_only
  )
  select a.clinic_id, a.listed, a.band_counts, a.capitation, a.performance, a.visits, a.start_grant, a.cni_supplement,
         a.distance_supplement, a.missions,
         a.capitation + a.performance + a.visits + a.start_grant + a.cni_supplement + a.distance_supplement + a.missions,
         d, rb.rulebook_id
  from all_lines a
  order by a.clinic_id;
end
$$;

-- seq of the last event recorded at or before t: "as known at t" (§3).
create or replace function seq_at(t timestamptz) returns bigint language sql stable as $$
  select coalesce(max(seq), 0) from event where recorded_at <= t
$$;
