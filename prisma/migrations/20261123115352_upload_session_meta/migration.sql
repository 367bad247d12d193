-- AlterTable
ALTER TABLE "UploadSession" ADD COLUMN     "category" TEXT,
ADD COLUMN     "people" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "tags" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- Sessions opened before this migration kept these fields as JSON in "description".
UPDATE "UploadSession" SET
  "category" = NULLIF("description"::jsonb->>'category', ''),
  "tags" = ARRAY(SELECT jsonb_array_elements_text(COALESCE("description"::jsonb->'tags', '[]'::jsonb))),
  "people" = ARRAY(SELECT jsonb_array_elements_text(COALESCE("description"::jsonb->'people', '[]'::jsonb))),
  "description" = COALESCE("description"::jsonb->>'description', '')
WHERE "description" LIKE '{%}';
