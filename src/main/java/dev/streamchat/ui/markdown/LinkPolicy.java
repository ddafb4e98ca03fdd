package dev.streamchat.ui.markdown;

import java.util.Locale;
import java.util.Set;

import org.commonmark.node.AbstractVisitor;
import org.commonmark.node.Image;
import org.commonmark.node.Link;
import org.commonmark.node.Node;
import org.commonmark.node.Text;
import org.commonmark.parser.PostProcessor;

/**
 * Model output can be prompt-injected (a pasted document, text that
 * {@code search_conversations} pulled in), so a link or image in it may carry the user's
 * other chats to a third party. Only absolute http, https and mailto links stay links;
 * anything else ({@code data:}, {@code javascript:}, relative URLs) becomes its plain
 * text. Images are never loaded: each becomes a link labelled "image: alt", so the
 * browser requests nothing until the user clicks.
 */
final class LinkPolicy implements PostProcessor {

	private static final Set<String> ALLOWED_SCHEMES = Set.of("http", "https", "mailto");

	static boolean allowed(String destination) {
		String url = destination == null ? "" : destination.strip();
		int colon = url.indexOf(':');
		return colon > 0 && ALLOWED_SCHEMES.contains(url.substring(0, colon).toLowerCase(Locale.ROOT))
				&& (!url.regionMatches(true, 0, "http", 0, 4) || url.startsWith("//", colon + 1));
	}

	@Override
	public Node process(Node document) {
		document.accept(new AbstractVisitor() {
			@Override
			public void visit(Link link) {
				visitChildren(link);
				if (!allowed(link.getDestination())) {
					unwrap(link);
				}
			}

			@Override
			public void visit(Image image) {
				visitChildren(image);
				Node replacement = allowed(image.getDestination()) ? new Link(image.getDestination(), image.getTitle())
						: new Text("");
				if (replacement instanceof Link) {
					replacement.appendChild(new Text("image: "));
					moveChildren(image, replacement);
					image.insertBefore(replacement);
					image.unlink();
				}
				else {
					unwrap(image);
				}
			}
		});
		return document;
	}

	/** Replaces a node by its children (the link text stays, the link goes). */
	private static void unwrap(Node node) {
		Node child = node.getFirstChild();
		while (child != null) {
			Node next = child.getNext();
			node.insertBefore(child);
			child = next;
		}
		node.unlink();
	}

	private static void moveChildren(Node from, Node to) {
		Node child = from.getFirstChild();
		while (child != null) {
			Node next = child.getNext();
			to.appendChild(child);
			child = next;
		}
	}

}
