-- Registry schema version 1: projects, branches, endpoints, roles and databases.
create table projects (
    id text primary key,
    tenant_id text not null unique,
    pg_version integer not null,
    default_endpoint_id text,
    created_at timestamptz not null default now()
);
create table branches (
    id text primary key,
    project_id text not null references projects (id) on delete cascade,
    name text not null,
    timeline_id text not null unique,
    parent_id text references branches (id),
    created_at timestamptz not null default now(),
    unique (project_id, name)
);
create table endpoints (
    id text primary key check (id ~ '^[a-z0-9-]+$'),
    project_id text not null references projects (id) on delete cascade,
    branch_id text not null references branches (id) on delete cascade,
    mode text not null default 'primary' check (mode = 'primary'),
    suspend_timeout_seconds bigint not null,
    autoprewarm boolean not null default false,
    allowed_ips text not null default '',
    disabled boolean not null default false,
    state text not null default 'idle' check (state in ('idle', 'starting', 'active', 'suspending', 'failed')),
    host text not null default '127.0.0.1',
    pg_port integer not null unique,
    http_port integer not null unique,
    compute_id text,
    pid bigint,
    started_at timestamptz,
    last_active timestamptz,
    last_error text,
    created_at timestamptz not null default now()
);
create unique index endpoints_one_primary_per_branch on endpoints (branch_id) where mode = 'primary';
create table roles (
    branch_id text not null references branches (id) on delete cascade,
    name text not null,
    secret text not null,
    deleted boolean not null default false,
    primary key (branch_id, name)
);
create table databases (
    branch_id text not null references branches (id) on delete cascade,
    name text not null,
    owner text not null,
    deleted boolean not null default false,
    primary key (branch_id, name)
);
