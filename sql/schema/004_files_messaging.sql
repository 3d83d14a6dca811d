-- Files (documented), conversations and participants (implied), messages (documented), notifications (implied).
CREATE TABLE files (
    id UUID PRIMARY KEY DEFAULT uuid_generate_v4(),
    name VARCHAR(255) NOT NULL,
    original_name VARCHAR(255) NOT NULL,
    description TEXT,
    file_path TEXT NOT NULL,
    file_url TEXT NOT NULL,
    thumbnail_url TEXT,
    mime_type VARCHAR(100) NOT NULL,
    file_size BIGINT NOT NULL,
    width INTEGER,
    height INTEGER,
    duration INTEGER,
    pages INTEGER,
    category VARCHAR(50) NOT NULL DEFAULT 'other' CONSTRAINT files_category_check CHECK (category IN ('design', 'reference', 'final', 'feedback', 'other')),
    status VARCHAR(50) NOT NULL DEFAULT 'draft' CONSTRAINT files_status_check CHECK (status IN ('draft', 'review', 'approved', 'rejected')),
    version INTEGER NOT NULL DEFAULT 1,
    is_latest BOOLEAN DEFAULT TRUE,
    parent_file_id UUID REFERENCES files(id),
    project_id UUID REFERENCES projects(id),
    organization_id UUID NOT NULL REFERENCES organizations(id),
    uploaded_by UUID NOT NULL REFERENCES users(id),
    metadata JSONB DEFAULT '{}',
    created_at TIMESTAMP WITH TIME ZONE DEFAULT NOW(),
    updated_at TIMESTAMP WITH TIME ZONE DEFAULT NOW()
);
CREATE INDEX idx_files_project ON files(project_id);
CREATE INDEX idx_files_organization ON files(organization_id);
CREATE INDEX idx_files_uploaded_by ON files(uploaded_by);

CREATE TABLE conversations (
    id UUID PRIMARY KEY DEFAULT uuid_generate_v4(),
    organization_id UUID NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    project_id UUID REFERENCES projects(id) ON DELETE CASCADE,
    team_id UUID REFERENCES teams(id) ON DELETE CASCADE,
    name VARCHAR(255),
    type VARCHAR(50) NOT NULL DEFAULT 'group' CONSTRAINT conversations_type_check CHECK (type IN ('direct', 'group', 'project', 'team')),
    created_by UUID REFERENCES users(id) ON DELETE SET NULL,
    is_archived BOOLEAN NOT NULL DEFAULT FALSE,
    last_message_at TIMESTAMP WITH TIME ZONE,
    created_at TIMESTAMP WITH TIME ZONE DEFAULT NOW(),
    updated_at TIMESTAMP WITH TIME ZONE DEFAULT NOW()
);
CREATE INDEX idx_conversations_organization ON conversations(organization_id);
CREATE INDEX idx_conversations_project ON conversations(project_id) WHERE project_id IS NOT NULL;
CREATE INDEX idx_conversations_team ON conversations(team_id) WHERE team_id IS NOT NULL;
CREATE INDEX idx_conversations_created_by ON conversations(created_by) WHERE created_by IS NOT NULL;

CREATE TABLE conversation_participants (
    id UUID PRIMARY KEY DEFAULT uuid_generate_v4(),
    conversation_id UUID NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role VARCHAR(50) NOT NULL DEFAULT 'member' CONSTRAINT conversation_participants_role_check CHECK (role IN ('owner', 'admin', 'member')),
    is_muted BOOLEAN NOT NULL DEFAULT FALSE,
    last_read_at TIMESTAMP WITH TIME ZONE,
    joined_at TIMESTAMP WITH TIME ZONE DEFAULT NOW(),
    CONSTRAINT conversation_participants_conversation_user_key UNIQUE (conversation_id, user_id)
);
CREATE INDEX idx_conversation_participants_user ON conversation_participants(user_id);

CREATE TABLE messages (
    id UUID PRIMARY KEY DEFAULT uuid_generate_v4(),
    conversation_id UUID NOT NULL REFERENCES conversations(id),
    author_id UUID NOT NULL REFERENCES users(id),
    content TEXT,
    message_type VARCHAR(50) NOT NULL DEFAULT 'text' CONSTRAINT messages_message_type_check CHECK (message_type IN ('text', 'file', 'image', 'system')),
    priority VARCHAR(50) NOT NULL DEFAULT 'normal' CONSTRAINT messages_priority_check CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
    status VARCHAR(50) NOT NULL DEFAULT 'sent' CONSTRAINT messages_status_check CHECK (status IN ('sent', 'delivered', 'read')),
    reply_to_id UUID REFERENCES messages(id),
    thread_id UUID,
    mentions UUID[] DEFAULT '{}',
    attachments JSONB DEFAULT '[]',
    metadata JSONB DEFAULT '{}',
    edited_at TIMESTAMP WITH TIME ZONE,
    deleted_at TIMESTAMP WITH TIME ZONE,
    created_at TIMESTAMP WITH TIME ZONE DEFAULT NOW()
);
CREATE INDEX idx_messages_conversation ON messages(conversation_id);
CREATE INDEX idx_messages_created_at ON messages(created_at);
CREATE INDEX idx_messages_author ON messages(author_id);
CREATE INDEX idx_messages_reply_to ON messages(reply_to_id) WHERE reply_to_id IS NOT NULL;

CREATE TABLE notifications (
    id UUID PRIMARY KEY DEFAULT uuid_generate_v4(),
    user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    organization_id UUID REFERENCES organizations(id) ON DELETE CASCADE,
    type VARCHAR(100) NOT NULL,
    title VARCHAR(255) NOT NULL,
    body TEXT,
    data JSONB DEFAULT '{}',
    is_read BOOLEAN NOT NULL DEFAULT FALSE,
    read_at TIMESTAMP WITH TIME ZONE,
    created_at TIMESTAMP WITH TIME ZONE DEFAULT NOW()
);
CREATE INDEX idx_notifications_user ON notifications(user_id);
CREATE INDEX idx_notifications_organization ON notifications(organization_id) WHERE organization_id IS NOT NULL;
