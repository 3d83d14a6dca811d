-- Teams (implied), projects (documented) and their memberships (implied).
CREATE TABLE teams (
    id UUID PRIMARY KEY DEFAULT uuid_generate_v4(),
    organization_id UUID NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    name VARCHAR(255) NOT NULL,
    slug VARCHAR(255) NOT NULL,
    description TEXT,
    created_by UUID REFERENCES users(id) ON DELETE SET NULL,
    created_at TIMESTAMP WITH TIME ZONE DEFAULT NOW(),
    updated_at TIMESTAMP WITH TIME ZONE DEFAULT NOW(),
    CONSTRAINT teams_org_slug_key UNIQUE (organization_id, slug)
);
CREATE INDEX idx_teams_created_by ON teams(created_by) WHERE created_by IS NOT NULL;

CREATE TABLE team_members (
    id UUID PRIMARY KEY DEFAULT uuid_generate_v4(),
    team_id UUID NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
    user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role VARCHAR(50) NOT NULL DEFAULT 'member' CONSTRAINT team_members_role_check CHECK (role IN ('lead', 'member')),
    created_at TIMESTAMP WITH TIME ZONE DEFAULT NOW(),
    CONSTRAINT team_members_team_user_key UNIQUE (team_id, user_id)
);
CREATE INDEX idx_team_members_user ON team_members(user_id);

CREATE TABLE projects (
    id UUID PRIMARY KEY DEFAULT uuid_generate_v4(),
    name VARCHAR(255) NOT NULL,
    description TEXT,
    slug VARCHAR(255) NOT NULL,
    organization_id UUID REFERENCES organizations(id),
    team_id UUID REFERENCES teams(id),
    manager_id UUID NOT NULL REFERENCES users(id),
    client_id UUID REFERENCES users(id),
    status VARCHAR(50) NOT NULL DEFAULT 'planning' CONSTRAINT projects_status_check CHECK (status IN ('planning', 'active', 'on-hold', 'completed', 'cancelled')),
    priority VARCHAR(50) NOT NULL DEFAULT 'medium' CONSTRAINT projects_priority_check CHECK (priority IN ('low', 'medium', 'high', 'urgent')),
    project_type VARCHAR(100) NOT NULL,
    service_category VARCHAR(100) NOT NULL,
    service_tier VARCHAR(50) NOT NULL,
    ensemble_type VARCHAR(100) NOT NULL,
    budget DECIMAL(10,2),
    estimated_hours INTEGER,
    actual_hours INTEGER DEFAULT 0,
    start_date DATE,
    due_date DATE,
    completion_date DATE,
    metadata JSONB DEFAULT '{}',
    settings JSONB DEFAULT '{}',
    tags TEXT[] DEFAULT '{}',
    is_template BOOLEAN DEFAULT FALSE,
    template_id UUID REFERENCES projects(id),
    created_at TIMESTAMP WITH TIME ZONE DEFAULT NOW(),
    updated_at TIMESTAMP WITH TIME ZONE DEFAULT NOW(),
    CONSTRAINT projects_organization_id_slug_key UNIQUE (organization_id, slug)
);
CREATE INDEX idx_projects_organization ON projects(organization_id);
CREATE INDEX idx_projects_status ON projects(status);
CREATE INDEX idx_projects_team ON projects(team_id) WHERE team_id IS NOT NULL;
CREATE INDEX idx_projects_manager ON projects(manager_id);
CREATE INDEX idx_projects_client ON projects(client_id) WHERE client_id IS NOT NULL;
CREATE INDEX idx_projects_template ON projects(template_id) WHERE template_id IS NOT NULL;

CREATE TABLE project_members (
    id UUID PRIMARY KEY DEFAULT uuid_generate_v4(),
    project_id UUID NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role VARCHAR(50) NOT NULL DEFAULT 'contributor' CONSTRAINT project_members_role_check CHECK (role IN ('manager', 'contributor', 'client', 'viewer')),
    created_at TIMESTAMP WITH TIME ZONE DEFAULT NOW(),
    CONSTRAINT project_members_project_user_key UNIQUE (project_id, user_id)
);
CREATE INDEX idx_project_members_user ON project_members(user_id);
