import { Link } from "wouter";
import { useDocumentTitle } from "../lib/useDocumentTitle";
import { PageHeader } from "../ui/PageHeader";

export default function NotFoundPage() {
  useDocumentTitle("Page not found");
  return (
    <>
      <PageHeader title="Page not found" description="The page you asked for doesn't exist, or it has moved." />
      <Link href="/instances" className="btn btn-primary">
        Go to your instances
      </Link>
    </>
  );
}
