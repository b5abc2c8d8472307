from typing import Optional, Tuple

__version__: str

class NativeError(Exception): ...

class NativeArea:
    name: str
    @staticmethod
    def load(path: str, rules: Optional[str] = ...) -> NativeArea: ...
    @staticmethod
    def from_records(
        settings: str,
        pools: str,
        children: str,
        names: Tuple[str, str, str],
        name: str,
        academic_year: int,
        rules: Optional[str] = ...,
    ) -> NativeArea: ...
    @staticmethod
    def from_sen2(
        source: str,
        out: str,
        gias: Optional[str] = ...,
        la: Optional[str] = ...,
        settings_from: Optional[str] = ...,
        key_file: Optional[str] = ...,
        keep_ids: bool = ...,
        rules: Optional[str] = ...,
    ) -> Tuple[NativeArea, str, Optional[str]]: ...
    def check(self) -> str: ...
    def child_ids(self) -> list[str]: ...
    def list(self, child_id: str, top: int = ..., regime: Optional[str] = ...) -> str: ...
    def explain(self, child_id: str, setting_id: str, regime: Optional[str] = ...) -> str: ...
    def list_profile(self, profile: str, top: int = ...) -> str: ...
    def lists_csv(
        self, top: int = ..., excluded: bool = ..., regime: Optional[str] = ...
    ) -> str: ...
    def place(
        self,
        mode: Optional[str] = ...,
        budget: Optional[int] = ...,
        min_mainstream_share: Optional[float] = ...,
        siblings_together: bool = ...,
        regime: Optional[str] = ...,
    ) -> str: ...
    def plan(
        self,
        years: int = ...,
        draws: int = ...,
        seed: int = ...,
        scenarios: Optional[str] = ...,
        growth: Optional[float] = ...,
        only: Optional[str] = ...,
    ) -> Tuple[str, str, str]: ...
