-- The PostgreSQL peer: the event log and the typed, bitemporal tables the calculation reads.
--
-- `event` is the log of record: one row per stored event, seq = line number of the world file,
-- both time axes (seq and recorded_at for knowledge, effective for validity) and the payload.
-- The other tables are typed projections of it, one per family of facts, built by load.sql in
-- the same transaction. Every fact row carries its knowledge interval [seq, retracted_seq): it
-- is visible at K when seq <= K < retracted_seq (retracted_seq is the seq of the first
-- EventRetracted that voids it, or never). Residents are keyed on the 12-digit personnummer as a
-- bigint (birth_ymd() in report.sql derives the birth date from it), clinics on a smallint from
-- the `clinic` dictionary. Amounts are integer öre.

create table event (
  seq          bigint primary key,
  recorded_at  timestamptz not null,
  event_id     text not null unique,
  type         text not null,
  effective    date,                    -- null for the types without one
  body         jsonb not null
);

create table clinic (
  clinic_no smallint primary key,
  clinic_id text collate "C" not null unique
);

-- Resident and listing events, the input of the fold of DOMAIN.md §6.2. kind:
-- 'R' ResidentRegistered, 'X' ResidentMovedOut or ResidentDied, 'L' PatientListed,
-- 'U' PatientUnlisted (ResidentRelocated changes nothing counted and stays in `event` only).
--
-- The fold is "the last event in (effective, seq) order" three times over (see listed_ages in
-- report.sql), so each row carries its order as one bigint, fold_key =
-- (days since 1800-01-01 << 42) | (seq << 12) | tag, with tag = the clinic number for 'L' and
-- 'U', 0 for 'X' and 4095 for 'R'. fold_key order is (effective, seq) order (seq is unique), and
-- max() over it is an arg-max that also yields the tag. Each row puts it in the column of the
-- streams it belongs to (null elsewhere): listing_key for 'L' and 'X', status_key for 'R' and
-- 'X', unlisting_key for 'U'. load.sql checks the bounds (seq < 2^30, clinics < 4095).
create table resident_event (
  pnr            bigint not null,         -- YYYYMMDDNNNC
  effective      date not null,
  seq            int not null,
  retracted_seq  int not null,
  kind           "char" not null,
  clinic         smallint,                -- 'L' and 'U' only
  listing_key    bigint,
  status_key     bigint,
  unlisting_key  bigint
);

-- ClinicRegistered ('R'), ClinicChanged ('H'), ClinicClosed ('C'). distance_tenths is set when
-- the event gives a distance (a registration always does).
create table clinic_event (
  clinic           smallint not null,
  seq              int not null,
  retracted_seq    int not null,
  kind             "char" not null,
  effective        date not null,
  distance_tenths  int
);

create table rulebook (
  seq              int primary key,
  retracted_seq    int not null,
  rulebook_id      text not null,
  valid_from       date not null,
  valid_until      date not null,
  snapshot         text not null,
  performance_ore  bigint,                -- null: no [performance]
  home_visit_ore   bigint,                -- the four rates are null together: no [visits]
  other_listed_ore bigint,
  unlisted_ore     bigint,
  out_of_region_ore bigint,
  start_grant_ore  bigint,                -- null: no [start_grant]
  start_grant_months int,
  cni_top_n        int,                   -- null: no [cni_supplement]
  cni_ore          bigint,
  distance_bands   int                    -- number of distance bands; null: no [distance_supplement]
);

-- A capitation band runs from min_age up to the next band's min_age (max_age is exclusive, null
-- for the last band).
create table rulebook_band (
  rulebook_seq int not null,
  min_age      int not null,
  max_age      int,
  amount_ore   bigint not null,
  primary key (rulebook_seq, min_age)
);

create table rulebook_distance_band (
  rulebook_seq   int not null,
  min_km_tenths  int not null,
  amount_ore     bigint not null,
  primary key (rulebook_seq, min_km_tenths)
);

-- The [[missions]] of a rulebook (DOMAIN.md §9): kind 'base' or 'optional'; an optional mission's
-- basis ('per_unit', 'per_listed', 'fixed') and amount (per unit and year, per listed resident
-- and year, or per month); min_age and max_age (per_listed only, each optional) bound the
-- residents counted, min_age <= age < max_age.
create table rulebook_mission (
  rulebook_seq int not null,
  mission      text collate "C" not null,
  kind         text not null,
  basis        text,
  amount_ore   bigint,
  min_age      int,
  max_age      int,
  primary key (rulebook_seq, mission)
);

-- MissionUndertaken (undertaken, with units if given) and MissionEnded (not undertaken).
create table mission_event (
  clinic         smallint not null,
  mission        text collate "C" not null,
  seq            int not null,
  retracted_seq  int not null,
  effective      date not null,
  undertaken     boolean not null,
  units          bigint
);

-- cni_tt: the CNI in ten-thousandths, as delivered or computed from the hits (DOMAIN.md §6.2).
create table cni_report (
  clinic         smallint not null,
  seq            int not null,
  retracted_seq  int not null,
  effective      date not null,
  cni_tt         bigint not null
);

-- Months as ordinals: year * 12 + month - 1.
create table performance_report (
  clinic         smallint not null,
  seq            int not null,
  retracted_seq  int not null,
  from_month     int not null,
  to_month       int not null,
  fulfilment_milli int not null
);

create table visits_report (
  clinic         smallint not null,
  month          int not null,
  seq            int not null,
  retracted_seq  int not null,
  home_visits    bigint not null,
  other_listed   bigint not null,
  unlisted       bigint not null,
  out_of_region  bigint not null
);

create table retraction (
  seq        int primary key,
  target_seq int not null
);
