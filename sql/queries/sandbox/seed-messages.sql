-- Generates messages in SQL: busy conversations get more, authors are participants, text from a studio vocabulary.
-- $1: number of messages int
-- $2: days of history int
-- returns: rowCount
WITH conv AS MATERIALIZED (
  SELECT c.id, row_number() OVER (ORDER BY c.id) - 1 AS idx, array_agg(p.user_id ORDER BY p.user_id) AS people
  FROM conversations c JOIN conversation_participants p ON p.conversation_id = c.id
  GROUP BY c.id
),
vocab AS (
  SELECT ARRAY[
    'design', 'review', 'mockup', 'logo', 'typography', 'palette', 'feedback', 'deadline', 'client', 'invoice',
    'render', 'draft', 'final', 'revision', 'layout', 'wireframe', 'prototype', 'sketch', 'brand', 'poster',
    'campus', 'student', 'lecture', 'assignment', 'grade', 'portfolio', 'studio', 'exhibition', 'gallery', 'print',
    'colour', 'contrast', 'kerning', 'grid', 'margin', 'banner', 'flyer', 'brochure', 'animation', 'storyboard',
    'camera', 'photo', 'shoot', 'lighting', 'backdrop', 'costume', 'stage', 'rehearsal', 'concert', 'band',
    'orchestra', 'choir', 'uniform', 'drill', 'show', 'season', 'budget', 'quote', 'contract', 'approval',
    'meeting', 'tomorrow', 'today', 'friday', 'monday', 'morning', 'afternoon', 'schedule', 'update', 'upload',
    'file', 'folder', 'version', 'latest', 'export', 'vector', 'pixel', 'resolution', 'bleed', 'proof',
    'please', 'thanks', 'great', 'looks', 'good', 'change', 'check', 'send', 'share', 'need',
    'urgent', 'question', 'answer', 'idea', 'concept', 'direction', 'mood', 'board', 'texture', 'pattern',
    'icon', 'illustration', 'vector', 'font', 'serif', 'sans', 'headline', 'caption', 'copy', 'text',
    'website', 'homepage', 'mobile', 'responsive', 'button', 'menu', 'footer', 'header', 'image', 'video',
    'teacher', 'professor', 'class', 'semester', 'exam', 'project', 'team', 'group', 'presentation', 'critique',
    'the', 'a', 'for', 'with', 'on', 'we', 'can', 'is', 'this', 'next'
  ] AS w
)
INSERT INTO messages (conversation_id, author_id, content, message_type, priority, status, created_at, edited_at, deleted_at)
SELECT conv.id,
       conv.people[1 + abs(hashint4(s.g)) % array_length(conv.people, 1)],
       (SELECT string_agg(t.word, ' ') FROM (SELECT vocab.w[1 + floor(random() * array_length(vocab.w, 1))::int] AS word FROM generate_series(1, 4 + s.g % 14)) t),
       (ARRAY['text', 'text', 'text', 'text', 'text', 'text', 'file', 'image', 'system'])[1 + s.g % 9],
       (ARRAY['normal', 'normal', 'normal', 'low', 'high', 'urgent'])[1 + (s.g / 9) % 6],
       (ARRAY['sent', 'delivered', 'read', 'read'])[1 + s.g % 4],
       s.at,
       CASE WHEN s.g % 50 = 0 THEN s.at + interval '5 minutes' END,
       CASE WHEN s.g % 97 = 0 THEN s.at + interval '1 hour' END
FROM (
  SELECT g, floor(power(random(), 2) * (SELECT count(*) FROM conv))::int AS idx,
         now() - power(random(), 1.5) * make_interval(days => $2::int) AS at
  FROM generate_series(1, $1::int) g
) s
JOIN conv ON conv.idx = s.idx
CROSS JOIN vocab
