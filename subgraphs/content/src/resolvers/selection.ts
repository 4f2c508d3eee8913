// Which fields a query selects below the field being resolved, two levels deep (fragments followed), so that a
// resolver can read with one statement what its children would otherwise each fetch.
import { Kind, type GraphQLResolveInfo, type SelectionSetNode } from "graphql";

/** Child field name -> the names of that child's own fields. Directives (@skip/@include) are not evaluated. */
export function selectedFields(info: GraphQLResolveInfo): Map<string, Set<string>> {
  const children = new Map<string, Set<string>>();
  const visit = (set: SelectionSetNode | undefined, into: (name: string, node: SelectionSetNode | undefined) => void, seen = new Set<string>()) => {
    for (const selection of set?.selections ?? []) {
      if (selection.kind === Kind.FIELD) into(selection.name.value, selection.selectionSet);
      else if (selection.kind === Kind.INLINE_FRAGMENT) visit(selection.selectionSet, into, seen);
      else if (!seen.has(selection.name.value)) {
        seen.add(selection.name.value);
        visit(info.fragments[selection.name.value]?.selectionSet, into, seen);
      }
    }
  };
  for (const node of info.fieldNodes) {
    visit(node.selectionSet, (name, set) => {
      let grandchildren = children.get(name);
      if (!grandchildren) children.set(name, (grandchildren = new Set()));
      visit(set, (child) => grandchildren.add(child));
    });
  }
  return children;
}
